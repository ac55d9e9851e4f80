// Fetches content from a Tally gateway the way a trustless client does: CAR and raw responses over
// plain fetch, every block hashed and checked against its CID, the file rebuilt from the verified
// blocks with ipfs-unixfs-exporter and compared with the original. Also a Range request on the path
// gateway. The CID comes from ipfs-unixfs-importer, not from Tally. Prints "ok <check>" per check.
//
// Usage: node trustless-client.mjs GATEWAY_URL FILE
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { CarBlockIterator } from '@ipld/car/iterator'
import { importer } from 'ipfs-unixfs-importer'
import { exporter } from 'ipfs-unixfs-exporter'
import { MemoryBlockstore } from 'blockstore-core/memory'
import { sha256 } from 'multiformats/hashes/sha2'
import { equals } from 'multiformats/bytes'

const [gateway, path] = process.argv.slice(2)
const original = readFileSync(path)

async function check (name, fn) {
  await fn()
  console.log(`ok ${name}`)
}

async function verify (cid, bytes) {
  assert.equal(cid.multihash.code, sha256.code, `unexpected hash function in ${cid}`)
  const digest = await sha256.digest(bytes)
  assert.ok(equals(digest.bytes, cid.multihash.bytes), `block ${cid} does not hash to its CID`)
}

let root
// Kubo's defaults, which the daemon's repo uses unless configured otherwise.
for await (const e of importer([{ content: original }], new MemoryBlockstore(), { profile: 'unixfs-v0-2015' })) root = e.cid

async function fetchCar (url) {
  const res = await fetch(url)
  assert.equal(res.status, 200, `${url}: ${res.status} ${await res.clone().text()}`)
  assert.match(res.headers.get('content-type'), /^application\/vnd\.ipld\.car;\s*version=1/)
  assert.equal(res.headers.get('x-content-type-options'), 'nosniff')
  assert.match(res.headers.get('cache-control'), /immutable/)
  assert.ok(res.headers.get('etag'), 'Etag missing')
  const blocks = new MemoryBlockstore()
  const cids = []
  for await (const { cid, bytes } of await CarBlockIterator.fromIterable(res.body)) {
    await verify(cid, bytes)
    await blocks.put(cid, bytes)
    cids.push(cid.toString())
  }
  return { blocks, cids, res }
}

await check('car: every block verified, file rebuilt', async () => {
  const { blocks, cids, res } = await fetchCar(`${gateway}/ipfs/${root}?format=car`)
  assert.equal(res.headers.get('x-ipfs-roots'), root.toString())
  assert.equal(new Set(cids).size, cids.length, 'duplicate blocks in a dups=n CAR')
  const entry = await exporter(root, blocks)
  const chunks = []
  for await (const c of entry.content()) chunks.push(c)
  assert.ok(equals(Buffer.concat(chunks), original), 'rebuilt file differs from the original')
})

await check('car with entity-bytes: only the blocks of the range, enough to read it', async () => {
  const all = await fetchCar(`${gateway}/ipfs/${root}?format=car`)
  const { blocks, cids } = await fetchCar(`${gateway}/ipfs/${root}?format=car&entity-bytes=300000:400999`)
  assert.ok(cids.length < all.cids.length, `${cids.length} blocks, the whole file has ${all.cids.length}`)
  const entry = await exporter(root, blocks)
  const chunks = []
  for await (const c of entry.content({ offset: 300000, length: 101000 })) chunks.push(c)
  assert.ok(equals(Buffer.concat(chunks), original.subarray(300000, 401000)))
})

await check('car via Accept header, dag-scope=block', async () => {
  const res = await fetch(`${gateway}/ipfs/${root}?dag-scope=block`, {
    headers: { accept: 'application/vnd.ipld.car' }
  })
  assert.equal(res.status, 200)
  const cids = []
  for await (const { cid, bytes } of await CarBlockIterator.fromIterable(res.body)) {
    await verify(cid, bytes)
    cids.push(cid.toString())
  }
  assert.deepEqual(cids, [root.toString()])
})

await check('raw block', async () => {
  for (const [url, init] of [
    [`${gateway}/ipfs/${root}?format=raw`, {}],
    [`${gateway}/ipfs/${root}`, { headers: { accept: 'application/vnd.ipld.raw' } }]
  ]) {
    const res = await fetch(url, init)
    assert.equal(res.status, 200)
    assert.equal(res.headers.get('content-type'), 'application/vnd.ipld.raw')
    await verify(root, new Uint8Array(await res.arrayBuffer()))
  }
})

await check('path gateway range', async () => {
  const res = await fetch(`${gateway}/ipfs/${root}`, { headers: { range: 'bytes=300000-400999' } })
  assert.equal(res.status, 206)
  assert.equal(res.headers.get('content-range'), `bytes 300000-400999/${original.length}`)
  assert.ok(equals(new Uint8Array(await res.arrayBuffer()), original.subarray(300000, 401000)))
  const full = await fetch(`${gateway}/ipfs/${root}`)
  assert.equal(full.status, 200)
  assert.ok(equals(new Uint8Array(await full.arrayBuffer()), original))
})

await check('absent content is 404', async () => {
  const absent = (await import('multiformats/cid')).CID.createV1(0x55, await sha256.digest(new Uint8Array([1, 2, 3])))
  for (const q of ['?format=raw', '?format=car', '']) {
    const res = await fetch(`${gateway}/ipfs/${absent}${q}`)
    assert.equal(res.status, 404, `GET ${q || '(unixfs)'}`)
  }
})
