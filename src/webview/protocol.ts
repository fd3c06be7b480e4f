/**
 * The messages between the timeline panel host (extension) and the timeline webview.
 * Shared by both sides; kept free of DOM and `vscode` so either bundle can import it.
 */
import type { Trace } from '../core/trace/types';

export const PROTOCOL_VERSION = 1;

export type HostToWebview = { type: 'showTrace'; version: typeof PROTOCOL_VERSION; trace: Trace };

export type WebviewToHost = { type: 'ready' } | { type: 'selectStep'; index: number };

export function isWebviewToHost(message: unknown): message is WebviewToHost {
  if (typeof message !== 'object' || message === null) return false;
  const m = message as { type?: unknown; index?: unknown };
  return m.type === 'ready' || (m.type === 'selectStep' && Number.isInteger(m.index));
}

export function isHostToWebview(message: unknown): message is HostToWebview {
  if (typeof message !== 'object' || message === null) return false;
  const m = message as { type?: unknown; version?: unknown; trace?: unknown };
  return m.type === 'showTrace' && m.version === PROTOCOL_VERSION && typeof m.trace === 'object' && m.trace !== null;
}
