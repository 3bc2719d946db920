// Prints a .cpuprofile's summary: `node --import tsx bench/tools/profile-report.ts FILE [N]`.
import { summarizeProfile } from '../lib/profile.js';

const [file, n] = process.argv.slice(2);
if (!file) throw new Error('usage: profile-report.ts FILE.cpuprofile [topN]');
const s = await summarizeProfile(file, Number(n ?? 25));
console.log(`busy ${s.busyMs.toFixed(0)} ms, idle ${s.idlePercent.toFixed(1)} %\n\nself time:`);
for (const f of s.top) console.log(`${f.percent.toFixed(1).padStart(5)} %  ${f.name}  ${f.where}`);
console.log('\nby package:');
for (const p of s.byPackage) console.log(`${p.percent.toFixed(1).padStart(5)} %  ${p.name}`);
console.log('\nserver/ frames, inclusive:');
for (const f of s.serverInclusive) console.log(`${f.percent.toFixed(1).padStart(5)} %  ${f.name}  ${f.where}`);
