// Imports files and directory trees with ipfs-unixfs-importer (the reference Tally's UnixFS
// importer must match) and prints {"<job id>": "<root CID>", ...} as one JSON line.
//
// Usage: node import.mjs JOBS.json
// JOBS.json: [{ "id": "...", "path": "/abs/path", "options": { ... } }, ...]
//   or, to give every entry its own metadata, "entries" instead of "path":
//   [{ "path": "dir/a.txt", "file": "/abs/file", "mode": 416, "mtime": { "secs": 1, "nsecs": 2 } },
//    { "path": "dir", "mode": 493 }, ...] (an entry without "file" is a directory)
// options: profile, cidVersion, rawLeaves, chunkSize, maxChildrenPerNode,
//          layout ("balanced" | "trickle"), wrapWithDirectory, shardSplitThresholdBytes
import { readFileSync, createReadStream, readdirSync, statSync } from 'node:fs'
import { basename, join } from 'node:path'
import { importer } from 'ipfs-unixfs-importer'
import { fixedSize } from 'ipfs-unixfs-importer/chunker'
import { balanced, trickle } from 'ipfs-unixfs-importer/layout'
import { BlackHoleBlockstore } from 'blockstore-core/black-hole'

function importerOptions (o) {
  const opts = {}
  for (const key of ['profile', 'cidVersion', 'rawLeaves', 'wrapWithDirectory', 'shardSplitThresholdBytes']) {
    if (o[key] !== undefined) opts[key] = o[key]
  }
  if (o.chunkSize !== undefined) opts.chunker = fixedSize({ chunkSize: o.chunkSize })
  const layoutOpts = o.maxChildrenPerNode !== undefined ? { maxChildrenPerNode: o.maxChildrenPerNode } : undefined
  if (o.layout === 'trickle') opts.layout = trickle(layoutOpts)
  else if (layoutOpts !== undefined) opts.layout = balanced(layoutOpts)
  return opts
}

function * candidates (abs, rel) {
  if (statSync(abs).isDirectory()) {
    const names = readdirSync(abs)
    if (names.length === 0) yield { path: rel }
    for (const name of names) yield * candidates(join(abs, name), `${rel}/${name}`)
  } else {
    yield { path: rel, content: createReadStream(abs) }
  }
}

function entryCandidate (e) {
  const c = {}
  if (e.path !== undefined) c.path = e.path
  if (e.file !== undefined) c.content = createReadStream(e.file)
  if (e.mode !== undefined) c.mode = e.mode
  if (e.mtime !== undefined) c.mtime = e.mtime.nsecs !== undefined ? { secs: BigInt(e.mtime.secs), nsecs: e.mtime.nsecs } : { secs: BigInt(e.mtime.secs) }
  return c
}

async function importOne (job) {
  const opts = importerOptions(job.options ?? {})
  const source = job.entries !== undefined
    ? job.entries.map(entryCandidate)
    : statSync(job.path).isDirectory()
    ? candidates(job.path, basename(job.path))
    : [{ content: createReadStream(job.path), ...(opts.wrapWithDirectory ? { path: basename(job.path) } : {}) }]
  let last
  for await (const entry of importer(source, new BlackHoleBlockstore(), opts)) last = entry
  return last.cid.toString()
}

const jobs = JSON.parse(readFileSync(process.argv[2], 'utf8'))
const out = {}
for (const job of jobs) out[job.id] = await importOne(job)
process.stdout.write(JSON.stringify(out) + '\n')
