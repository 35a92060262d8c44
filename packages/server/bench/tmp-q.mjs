import Database from 'libsql';
const db = new Database('/tmp/pb/1795249286988.db');
const id = db.prepare('SELECT id FROM clicks LIMIT 1').get().id;
function t(name, fn) { fn(); const t0 = process.cpuUsage(); for (let i = 0; i < 5000; i++) fn(); const c = process.cpuUsage(t0); console.log(name, ((c.user + c.system) / 5000).toFixed(1), 'µs'); }
const st = db.prepare('SELECT * FROM clicks WHERE id = ?');
t('get *', () => st.get(id));
const sr = db.prepare('SELECT * FROM clicks WHERE id = ?').raw(true);
t('raw get *', () => sr.get(id));
const s9 = db.prepare('SELECT id, offer_id, publisher_id, sub1, sub2, sub3, sub4, sub5, country FROM clicks WHERE id = ?');
t('get 9 cols', () => s9.get(id));
const s1 = db.prepare('SELECT id FROM clicks WHERE id = ?');
t('get 1 col', () => s1.get(id));
const sa = db.prepare('SELECT * FROM clicks WHERE id = ?');
t('all *', () => sa.all(id));
const it = db.prepare('SELECT * FROM clicks WHERE id = ?');
t('iterate *', () => { for (const r of it.iterate(id)) {} });
