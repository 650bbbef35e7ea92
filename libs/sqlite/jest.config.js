module.exports = require('../../libs/testing/jest-preset')(__dirname);
