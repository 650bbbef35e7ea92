// eslint-disable-next-line @typescript-eslint/no-require-imports -- CommonJS config file
module.exports = require('../../libs/testing/jest-preset')(__dirname);
