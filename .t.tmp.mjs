import { parse } from 'csv-parse/sync';
const cases = {
  count: 'a,b,c\r\n1,2,3\r\n4,5\r\n7,8,9,10\r\n11,12,13\n"m\nl",2,3\r\n"x\r\ny",1,2\n',
  badOpen: 'a,b,c\r\n1,2,3\r\n4,x"5",6\r\n7,8,9\r\n',
  badClose: 'a,b,c\r\n1,2,3\r\n4,"5"x,6\r\n7,8,9\r\n',
};
for (const [k, text] of Object.entries(cases)) {
  const skips = [];
  try {
    const out = parse(text, { info: true, record_delimiter: ['\r\n', '\n', '\r'], relax_column_count: true, skip_records_with_error: true, on_skip: (err, raw) => { skips.push({ code: err?.code, lines: err?.lines, raw, rec: err?.records }); } });
    console.log(k, JSON.stringify(out.map(o => [o.info.lines, o.info.records, o.record])), JSON.stringify(skips));
  } catch (e) { console.log(k, 'THROW', e.code, e.message); }
}
