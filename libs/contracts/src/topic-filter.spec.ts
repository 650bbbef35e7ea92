import { filterCovers, topicMatches } from './topic-filter';

describe('filterCovers', () => {
  it.each([
    ['printfleet/v1/#', 'printfleet/v1/printers/+/state', true],
    ['printfleet/v1/#', 'printfleet/v1/#', true],
    ['printfleet/v1/#', 'printfleet/#', false],
    ['printfleet/v1/#', '#', false],
    ['printfleet/v1/printers/+/cmd/+', 'printfleet/v1/printers/mk3/cmd/start', true],
    ['printfleet/v1/printers/+/cmd/+', 'printfleet/v1/printers/mk3/cmd/#', false],
    ['printfleet/v1/printers/+/cmd/+', 'printfleet/v1/printers/mk3/cmd', false],
    ['printfleet/v1/printers/mk3/cmd/+', 'printfleet/v1/printers/+/cmd/+', false],
  ])('%s covers %s: %s', (allowed, requested, expected) => expect(filterCovers(allowed, requested)).toBe(expected));
});

describe('topicMatches', () => {
  it.each([
    ['a/+/c', 'a/b/c', true],
    ['a/#', 'a/b/c', true],
    ['a/+', 'a/b/c', false],
    ['a/b', 'a/b', true],
    ['a/b', 'a/c', false],
    ['a/+', 'a/+', false],
  ])('%s ~ %s: %s', (pattern, topic, expected) => expect(topicMatches(pattern, topic)).toBe(expected));
});
