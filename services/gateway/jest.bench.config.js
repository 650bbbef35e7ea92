// `npm run bench`: the web UI's figures (bytes shipped, first render, live latency) in Chromium.
module.exports = require('../../libs/testing/jest-preset')(__dirname, {
  testMatch: ['<rootDir>/test/bench/*.bench.ts'],
  testTimeout: 300_000,
});
