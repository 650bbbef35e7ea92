/**
 * A small but real print, slow enough to pause: five 10 mm squares at 10 mm/s, so about twenty
 * seconds of (simulated, real-time) motion.
 */
export const SLOW_SQUARES = (() => {
  const lines = ['; five slow squares', 'G21', 'G90', 'M82', 'M104 S200', 'G28', 'G92 E0', 'G1 Z0.2 F3000', 'G1 X10 Y10 F6000'];
  let e = 0;
  for (let layer = 0; layer < 5; layer++) {
    lines.push(`G1 Z${(0.2 * (layer + 1)).toFixed(1)} F600`);
    for (const [x, y] of [[20, 10], [20, 20], [10, 20], [10, 10]] as const) lines.push(`G1 X${x} Y${y} E${(e += 0.5).toFixed(2)} F600`);
  }
  lines.push('M104 S0', 'M84', '');
  return lines.join('\n');
})();

