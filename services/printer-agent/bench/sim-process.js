// One simulated printer on a real PTY in its own process, so the bench's CPU figures are the
// agent's alone. Options: JSON in argv[2]. Prints "ready" once the PTY listens; exits on SIGTERM
// or when stdin closes (the bench died).
const { startSimulator } = require('@printfleet/printer-sim');

async function main() {
  const sim = await startSimulator(JSON.parse(process.argv[2]));
  let closing = false;
  const stop = async () => {
    if (closing) return;
    closing = true;
    await sim.close();
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.stdin.on('end', stop).resume();
  process.stdout.write('ready\n');
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
