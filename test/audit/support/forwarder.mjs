// A log forwarder for the end-to-end test, as `tail -n +1 -F audit.log | nc` run under a
// supervisor: connects to 127.0.0.1:PORT, sends the token line, then the file's lines in chunks;
// when the connection drops it reconnects and sends the whole file again (at-least-once).
// Prints "sent-all" after each complete pass. argv: port token file [linesPerChunk] [delayMs]
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';

const [port, token, file, perChunk = '25', delay = '10'] = process.argv.slice(2);
const lines = readFileSync(file, 'utf8').split('\n').filter((l) => l !== '');
const n = Number(perChunk);

function pass() {
  const socket = connect(Number(port), '127.0.0.1');
  let i = 0;
  let closed = false;
  const pump = () => {
    if (closed) return;
    if (i >= lines.length) {
      console.log('sent-all');
      return; // keep the connection open, as tail -F does
    }
    socket.write(`${lines.slice(i, i + n).join('\n')}\n`);
    i += n;
    setTimeout(pump, Number(delay));
  };
  socket.on('connect', () => {
    socket.write(`${token}\n`);
    pump();
  });
  socket.on('error', () => {});
  socket.on('close', () => {
    closed = true;
    setTimeout(pass, 100);
  });
}
pass();
process.on('SIGTERM', () => process.exit(0));
