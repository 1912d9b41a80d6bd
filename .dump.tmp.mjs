import fs from 'node:fs';
import iconv from 'iconv-lite';
import { parse } from 'csv-parse/sync';
const [,, file, enc, ...cols] = process.argv;
let buf = fs.readFileSync(file);
let text = enc === 'cp932' ? iconv.decode(buf, 'cp932') : buf.toString('utf8');
const rows = parse(text, { columns: true, bom: true, relax_column_count: true });
console.log('rows', rows.length, 'cols', Object.keys(rows[0]).join('|'));
for (const c of cols) {
  const m = new Map();
  for (const r of rows) { const v = r[c]; m.set(v, (m.get(v)||0)+1); }
  console.log('==', c, m.size);
  for (const [v,n] of [...m].sort((a,b)=>b[1]-a[1])) console.log(n, JSON.stringify(v));
}
