import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SEARCH_OPTION_RANGES, type OptionRange } from '../../src/core/search/optionRanges';

interface SettingSchema {
  minimum?: number;
  maximum?: number;
}

/** package.json cannot import the core's ranges; the settings editor reads its own copy of them. */
const settings = (JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as {
  contributes: { configuration: { properties: Record<string, SettingSchema> } };
}).contributes.configuration.properties;

describe("package.json's search settings", () => {
  const seconds = (range: OptionRange): OptionRange => ({ min: range.min / 1000, max: range.max / 1000 });
  const ranges: [string, OptionRange][] = [
    ['swaprace.search.seed', SEARCH_OPTION_RANGES.seed],
    ['swaprace.search.workers', SEARCH_OPTION_RANGES.workers],
    ['swaprace.search.maxStates', SEARCH_OPTION_RANGES.maxStates],
    ['swaprace.search.maxDepth', SEARCH_OPTION_RANGES.maxDepth],
    ['swaprace.search.timeoutSeconds', seconds(SEARCH_OPTION_RANGES.timeoutMs)],
    ['swaprace.search.maxMemoryMb', SEARCH_OPTION_RANGES.maxMemoryMb],
  ];

  for (const [setting, range] of ranges) {
    it(`${setting} states the core's range`, () => {
      assert.ok(settings[setting], `${setting} is not contributed`);
      assert.deepEqual([settings[setting].minimum, settings[setting].maximum], [range.min, range.max]);
    });
  }
});
