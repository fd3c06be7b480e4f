/**
 * `check --sarif`: SARIF 2.1.0, which GitHub code scanning and editors' SARIF viewers read. One rule per
 * property, one result per violation, located at the scenario file (at the property's entry when the file
 * lists it) when the scenario came from a file.
 */
import { findNodeAtLocation, parseTree } from 'jsonc-parser';
import { isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';
import { PROPERTY_DESCRIPTIONS, PROPERTY_IDS, type PropertyId } from '../core';
import { version } from '../../package.json';
import type { ResultJson } from './resultJson';

export interface SarifSource {
  /** The scenario file as given on the command line, and its text. */
  file?: string;
  text?: string;
}

export function toSarif(result: ResultJson, source: SarifSource, exitCode: number): object {
  const results = [];
  if (result.verdict === 'violation' && result.property) {
    const location = source.file
      ? { physicalLocation: { artifactLocation: { uri: fileUri(source.file) }, region: propertyRegion(source.text ?? '', result.property) } }
      : { logicalLocations: [{ name: result.scenario, kind: 'module' }] };
    results.push({
      ruleId: result.property,
      ruleIndex: PROPERTY_IDS.indexOf(result.property),
      level: 'error',
      message: { text: `${result.scenario} on ${result.kernel}: ${result.message} (schedule ${result.schedule ?? '-'})` },
      locations: [location],
      properties: {
        scenario: result.scenario,
        kernel: result.kernel,
        schedule: result.schedule,
        violationStep: result.violationStep,
        steps: result.steps.map((step) => ({ thread: result.threads[step.thread], stepId: step.stepId, label: step.label })),
      },
    });
  }
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'swaprace',
            version,
            rules: PROPERTY_IDS.map((id) => ({ id, shortDescription: { text: PROPERTY_DESCRIPTIONS[id] } })),
          },
        },
        invocations: [{ executionSuccessful: true, exitCode }],
        results,
        properties: { scenario: result.scenario, kernel: result.kernel, verdict: result.verdict, message: result.message, stats: result.stats, limits: result.limits },
      },
    ],
  };
}

/** A relative path stays a relative URI, which SARIF viewers resolve against the repository root. */
function fileUri(path: string): string {
  if (isAbsolute(path)) return pathToFileURL(path).href;
  return path.replace(/\\/g, '/').split('/').map(encodeURIComponent).join('/');
}

/** Where the file lists the property, else its first line (a file without `properties` checks them all). */
function propertyRegion(text: string, property: PropertyId): { startLine: number; startColumn: number } {
  const root = parseTree(text);
  const list = root && findNodeAtLocation(root, ['properties']);
  const entry = list?.children?.find((node) => node.value === property);
  const offset = entry?.offset ?? 0;
  const before = text.slice(0, offset).split(/\r\n|\r|\n/);
  return { startLine: before.length, startColumn: before[before.length - 1].length + 1 };
}
