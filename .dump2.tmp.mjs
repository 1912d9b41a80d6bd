import fs from 'node:fs';
import iconv from 'iconv-lite';
import { parse } from 'csv-parse/sync';
const [,, file, enc, ...cols] = process.argv;
let buf = fs.readFileSync(file);
let text = enc === 'cp932' ? iconv.decode(buf, 'cp932') : buf.toString('utf8');
const rows = parse(text, { columns: true, bom: true, relax_column_count: true });
for (const r of rows) console.log(cols.map(c => JSON.stringify(r[c])).join(' | '));
