// Imports one file into blockstore-core's MemoryBlockstore with ipfs-unixfs-importer, one warm-up
// run then the best of N per profile, and prints one JSON line per profile: the figures that
// ImportBench compares Tally against.
// Usage: node import-bench.mjs FILE [RUNS] [PROFILE...]   (profiles: unixfs-v0-2015 unixfs-v1-2025)
import { createReadStream, readFileSync, statSync } from 'node:fs'
import { MemoryBlockstore } from 'blockstore-core/memory'
import { importFile } from 'ipfs-unixfs-importer'
import { fixedSize } from 'ipfs-unixfs-importer/chunker'
import { balanced } from 'ipfs-unixfs-importer/layout'

// Spelled out rather than passed as `profile` so the settings compared are visible here.
const PROFILES = {
  'unixfs-v0-2015': { cidVersion: 0, rawLeaves: false, chunkSize: 262144, maxChildrenPerNode: 174 },
  'unixfs-v1-2025': { cidVersion: 1, rawLeaves: true, chunkSize: 1048576, maxChildrenPerNode: 1024 }
}

const [file, runsArg, ...profileArgs] = process.argv.slice(2)
if (file == null) {
  console.error('usage: node import-bench.mjs FILE [RUNS] [PROFILE...]')
  process.exit(2)
}
const runs = Number(runsArg ?? 3)
const profiles = profileArgs.length > 0 ? profileArgs : Object.keys(PROFILES)
const bytes = statSync(file).size
const importerVersion = JSON.parse(readFileSync(
  new URL('../node_modules/ipfs-unixfs-importer/package.json', import.meta.url))).version

async function importOnce (p) {
  const blockstore = new MemoryBlockstore()
  const cpuStart = process.cpuUsage()
  const start = process.hrtime.bigint()
  const result = await importFile(
    { content: createReadStream(file, { highWaterMark: 1 << 20 }) },
    blockstore,
    {
      cidVersion: p.cidVersion,
      rawLeaves: p.rawLeaves,
      chunker: fixedSize({ chunkSize: p.chunkSize }),
      layout: balanced({ maxChildrenPerNode: p.maxChildrenPerNode })
    }
  )
  const seconds = Number(process.hrtime.bigint() - start) / 1e9
  const cpu = process.cpuUsage(cpuStart)
  return { seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, root: result.cid.toString() }
}

for (const name of profiles) {
  const p = PROFILES[name]
  if (p == null) {
    console.error(`unknown profile ${name}; expected one of ${Object.keys(PROFILES).join(', ')}`)
    process.exit(2)
  }
  // One unmeasured warm-up run (JIT, page cache), as ImportBench does on the JVM.
  const expected = (await importOnce(p)).root
  let best
  const all = []
  for (let i = 0; i < runs; i++) {
    globalThis.gc?.()
    const r = await importOnce(p)
    all.push(r.seconds)
    if (r.root !== expected) {
      throw new Error(`root CID changed between runs: ${expected} then ${r.root}`)
    }
    if (best == null || r.seconds < best.seconds) best = r
  }
  console.log(JSON.stringify({
    profile: name,
    bytes,
    bestSeconds: best.seconds,
    cpuSeconds: best.cpuSeconds,
    mbPerSec: bytes / best.seconds / 1e6,
    runsSeconds: all,
    root: best.root,
    node: process.version,
    importer: importerVersion
  }))
}
