// Drives a Tally daemon with kubo-rpc-client, the JS client apps use against Kubo, and checks every
// answer against an independent reference: CIDs from ipfs-unixfs-importer and multiformats, bytes
// from the inputs. Prints "ok <check>" per passed check; exits non-zero on the first failure.
//
// Usage: node kubo-client.mjs API_URL PEER_ID
import assert from 'node:assert/strict'
import { create } from 'kubo-rpc-client'
import { importer } from 'ipfs-unixfs-importer'
import { MemoryBlockstore } from 'blockstore-core/memory'
import { CID } from 'multiformats/cid'
import { sha256 } from 'multiformats/hashes/sha2'
import * as raw from 'multiformats/codecs/raw'
import * as dagCbor from '@ipld/dag-cbor'
import { publicKeyFromProtobuf } from '@libp2p/crypto/keys'
import { peerIdFromPublicKey } from '@libp2p/peer-id'

const [apiUrl, expectedPeerId] = process.argv.slice(2)
const ipfs = create({ url: apiUrl })

async function check (name, fn) {
  await fn()
  console.log(`ok ${name}`)
}

/**
 * Every entry's CID by path as ipfs-unixfs-importer gives it for the same input, with Kubo's
 * defaults (profile unixfs-v0-2015) unless {@code options} says otherwise.
 */
async function reference (entries, options = { profile: 'unixfs-v0-2015' }) {
  const out = new Map()
  for await (const e of importer(entries, new MemoryBlockstore(), options)) {
    out.set(e.path, e.cid.toString())
  }
  return out
}

async function collect (it) {
  const chunks = []
  for await (const c of it) chunks.push(c)
  return Buffer.concat(chunks)
}

function bytes (n, seed) {
  const b = new Uint8Array(n)
  let x = seed
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) >>> 0
    b[i] = x >>> 24
  }
  return b
}

const file = bytes(1_300_000, 7) // five 256 KiB chunks: a two-level dag-pb file

await check('version', async () => {
  const v = await ipfs.version()
  assert.match(v.version, /\S/)
})

await check('id', async () => {
  const id = await ipfs.id()
  assert.equal(id.id.toString(), expectedPeerId)
  assert.match(id.agentVersion, /^tally\//)
  const key = publicKeyFromProtobuf(Buffer.from(id.publicKey, 'base64'))
  assert.equal(peerIdFromPublicKey(key).toString(), expectedPeerId)
})

let fileCid
await check('add file with progress', async () => {
  const progress = []
  const added = await ipfs.add({ path: 'file.bin', content: file }, {
    progress: (bytes, path) => progress.push([bytes, path])
  })
  const ref = await reference([{ path: 'file.bin', content: file }])
  assert.equal(added.cid.toString(), ref.get('file.bin'))
  assert.equal(added.path, 'file.bin')
  assert.ok(progress.length >= 2, `expected several progress events, got ${progress.length}`)
  assert.deepEqual(progress.at(-1), [file.length, 'file.bin'])
  fileCid = added.cid
})

await check('add with cid-version 1', async () => {
  const added = await ipfs.add(file, { cidVersion: 1 })
  const ref = await reference([{ content: file }], { cidVersion: 1 })
  assert.equal(added.cid.toString(), [...ref.values()].at(-1))
})

let dirCid
await check('add directory', async () => {
  const tree = () => [
    { path: 'site/index.txt', content: new TextEncoder().encode('hello from tally\n') },
    { path: 'site/data/a.bin', content: bytes(3000, 1) },
    { path: 'site/data/b.bin', content: bytes(300_000, 2) },
    { path: 'site/empty' }
  ]
  const added = []
  for await (const e of ipfs.addAll(tree())) added.push(e)
  const ref = await reference(tree())
  const byPath = new Map(added.map(e => [e.path, e.cid.toString()]))
  // The reference reports files and the roots of the tree; it does not report inner directories.
  for (const [path, cid] of ref) {
    assert.equal(byPath.get(path), cid, `CID of ${path}`)
  }
  assert.deepEqual([...byPath.keys()].sort(),
    ['site', 'site/data', 'site/data/a.bin', 'site/data/b.bin', 'site/empty', 'site/index.txt'])
  // Kubo's well-known CID of an empty UnixFS directory.
  assert.equal(byPath.get('site/empty'), 'QmUNLLsPACCz1vLxQVkXqqLX5R1X345qqfHbsf67hvA3Nn')
  dirCid = added.find(e => e.path === 'site').cid
})

await check('add wrapped in a directory', async () => {
  const content = new TextEncoder().encode('wrapped\n')
  const added = []
  for await (const e of ipfs.addAll([{ path: 'w.txt', content }], { wrapWithDirectory: true })) added.push(e)
  const ref = await reference([{ path: 'w.txt', content }], {
    profile: 'unixfs-v0-2015',
    wrapWithDirectory: true
  })
  assert.equal(added.at(-1).cid.toString(), ref.get(''))
})

await check('cat', async () => {
  assert.deepEqual(await collect(ipfs.cat(fileCid)), Buffer.from(file))
})

await check('cat with offset and length', async () => {
  const got = await collect(ipfs.cat(fileCid, { offset: 262_000, length: 300_000 }))
  assert.deepEqual(got, Buffer.from(file.subarray(262_000, 562_000)))
  const tail = await collect(ipfs.cat(`/ipfs/${dirCid}/data/a.bin`, { offset: 2990 }))
  assert.deepEqual(tail, Buffer.from(bytes(3000, 1).subarray(2990)))
})

await check('ls', async () => {
  const entries = []
  for await (const e of ipfs.ls(dirCid)) entries.push(e)
  assert.deepEqual(entries.map(e => [e.name, e.type]), [['data', 'dir'], ['empty', 'dir'], ['index.txt', 'file']])
  assert.equal(entries.find(e => e.name === 'index.txt').size, 17)
  const data = []
  for await (const e of ipfs.ls(`/ipfs/${dirCid}/data`)) data.push(e)
  assert.deepEqual(data.map(e => [e.name, e.size]), [['a.bin', 3000], ['b.bin', 300_000]])
})

await check('block put/get/stat', async () => {
  const data = bytes(5000, 3)
  const cid = await ipfs.block.put(data)
  const expected = CID.createV1(raw.code, await sha256.digest(data))
  assert.equal(cid.toString(), expected.toString())
  assert.deepEqual(Buffer.from(await ipfs.block.get(cid)), Buffer.from(data))
  const stat = await ipfs.block.stat(cid)
  assert.equal(stat.size, 5000)
  assert.equal(stat.cid.toString(), expected.toString())
})

await check('block rm', async () => {
  const data = bytes(100, 4)
  const cid = await ipfs.block.put(data)
  const removed = []
  for await (const r of ipfs.block.rm(cid)) removed.push(r)
  assert.equal(removed.length, 1)
  assert.equal(removed[0].error, undefined)
  await assert.rejects(ipfs.block.stat(cid), /not found/)
})

await check('dag put/get', async () => {
  const value = { name: 'loan-1', amount: 1250, tags: ['a', 'b'], link: fileCid }
  const cid = await ipfs.dag.put(value)
  const expected = CID.createV1(dagCbor.code, await sha256.digest(dagCbor.encode(value)))
  assert.equal(cid.toString(), expected.toString())
  const got = await ipfs.dag.get(cid)
  assert.deepEqual(got.value.tags, ['a', 'b'])
  assert.equal(got.value.link.toString(), fileCid.toString())
})

await check('pin add/ls/rm', async () => {
  const recursive = async () => {
    const cids = []
    for await (const p of ipfs.pin.ls({ type: 'recursive' })) cids.push(p.cid.toString())
    return cids
  }
  assert.ok((await recursive()).includes(fileCid.toString()), 'add pins its root by default')
  const refused = []
  for await (const r of ipfs.block.rm(fileCid)) refused.push(r)
  assert.match(refused[0].error.message, /pinned/)
  assert.equal((await ipfs.pin.rm(fileCid)).toString(), fileCid.toString())
  assert.ok(!(await recursive()).includes(fileCid.toString()))
  assert.equal((await ipfs.pin.add(fileCid)).toString(), fileCid.toString())
  assert.ok((await recursive()).includes(fileCid.toString()))
  const loose = await ipfs.block.put(bytes(10, 9))
  await ipfs.pin.add(loose, { recursive: false })
  const types = []
  for await (const p of ipfs.pin.ls({ paths: [loose] })) types.push([p.cid.toString(), p.type])
  assert.deepEqual(types, [[loose.toString(), 'direct']])
})

await check('repo stat', async () => {
  const stat = await ipfs.repo.stat()
  // At least the file's six blocks and the directory's; the size counts at least their bytes.
  assert.ok(stat.numObjects >= 7n, `NumObjects ${stat.numObjects}`)
  assert.ok(stat.repoSize >= BigInt(file.length), `RepoSize ${stat.repoSize}`)
  assert.match(stat.repoPath, /repo$/)
})

await check('errors', async () => {
  const absent = CID.createV1(raw.code, await sha256.digest(new TextEncoder().encode('never added')))
  await assert.rejects(collect(ipfs.cat(absent)), /not in the blockstore|not found/)
  await assert.rejects(collect(ipfs.cat(`/ipfs/${dirCid}`)), /is a directory/)
  await assert.rejects(ipfs.block.stat('not-a-cid'), /invalid CID/)
})
