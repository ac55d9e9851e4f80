// Reading a js-libp2p 3 stream to its end, shared by the interop test peer and the benchmark.

const bytes = (chunk) => (chunk instanceof Uint8Array ? chunk : chunk.subarray())

// The chunks a handler reads from an inbound stream, ending when the remote has closed its side.
// js-libp2p 3's own stream iterator ends on the 'remoteCloseWrite' event, which fires once, when
// the remote's FIN arrives: a handler that starts reading after that got the data but never the
// end, and the stream hung. Handlers start that late when the stream's set-up (a peer-store write
// per stream, one at a time per peer) outlasts the remote's first data and FIN, as it does for a
// burst of streams on a loaded machine (ADR 039). This reader also ends when the remote had closed
// before it started.
export function chunksOf (stream) {
  const queue = []
  let ended = false
  let failure
  let wake = () => {}
  const notify = () => {
    const w = wake
    wake = () => {}
    w()
  }
  const onMessage = (evt) => { queue.push(bytes(evt.data)); notify() }
  const onEnd = () => { ended = true; notify() }
  const onClose = (evt) => { failure = evt.error; ended = true; notify() }
  stream.addEventListener('message', onMessage)
  stream.addEventListener('remoteCloseWrite', onEnd)
  stream.addEventListener('end', onEnd)
  stream.addEventListener('close', onClose)
  if (stream.remoteWriteStatus === 'closed') {
    // Queued after the microtask in which adding the 'message' listener hands over buffered data.
    queueMicrotask(onEnd)
  }
  return (async function * () {
    try {
      while (true) {
        if (queue.length > 0) {
          yield queue.shift()
        } else if (failure != null) {
          throw failure
        } else if (ended) {
          return
        } else {
          await new Promise((resolve) => { wake = resolve })
        }
      }
    } finally {
      stream.removeEventListener('message', onMessage)
      stream.removeEventListener('remoteCloseWrite', onEnd)
      stream.removeEventListener('end', onEnd)
      stream.removeEventListener('close', onClose)
    }
  })()
}
