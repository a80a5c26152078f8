import { createServer } from 'node:net'

/**
 * The far end of the ceiling probe (ceiling.ts), run where central would run (inside the link's namespace): it
 * counts the bytes that arrived in order and answers that count over IPC, outside the link, so the sender knows
 * to the byte what got through without a round trip. Each connection starts with its stream's number and the offset it resumes at (8 bytes each).
 */
const delivered = new Map<number, number>()
const server = createServer((socket) => {
  let header = Buffer.alloc(0)
  let at = -1
  let stream = 0
  socket.on('data', (chunk: Buffer) => {
    if (at < 0) {
      header = Buffer.concat([header, chunk])
      if (header.length < 16) return
      stream = Number(header.readBigUInt64BE(0))
      at = Number(header.readBigUInt64BE(8))
      chunk = header.subarray(16)
    }
    at += chunk.length
    delivered.set(stream, Math.max(delivered.get(stream) ?? 0, at))
  })
  socket.on('error', () => undefined)
})
server.listen(0, '127.0.0.1', () => {
  const address = server.address()
  process.send!({ type: 'listening', port: typeof address === 'object' && address ? address.port : 0 })
})
process.on('message', (message: { type: string; id: number; stream: number }) => {
  if (message.type === 'delivered') process.send!({ type: 'delivered', id: message.id, delivered: delivered.get(message.stream) ?? 0 })
  if (message.type === 'close') server.close(() => process.exit(0))
})
process.on('disconnect', () => process.exit(0))
