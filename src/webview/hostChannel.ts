/**
 * The webview's side of the protocol: posting typed messages, requests that resolve when the reply with the
 * same id arrives, and the persisted view state.
 */
import { asPersistedViewState, type HostToWebview, type PersistedViewState, type Requests, type WebviewToHost } from './protocol';

interface VsCodeApi {
  postMessage(message: WebviewToHost): void;
  getState(): unknown;
  setState(state: PersistedViewState): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

type Reply = Extract<HostToWebview, { type: 'reply' }>;

export class HostChannel {
  private readonly api = acquireVsCodeApi();
  private nextRequestId = 1;
  private readonly pending = new Map<number, { resolve(result: unknown): void; reject(error: Error): void }>();

  post(message: WebviewToHost): void {
    this.api.postMessage(message);
  }

  request<M extends keyof Requests>(method: M, params: Requests[M]['params']): Promise<Requests[M]['result']> {
    const requestId = this.nextRequestId++;
    return new Promise((resolve, reject) => {
      this.pending.set(requestId, { resolve: resolve as (result: unknown) => void, reject });
      this.post({ type: 'request', requestId, method, params });
    });
  }

  /** Settles the request a reply answers; replies to nothing (a reloaded page) are dropped. */
  settle(reply: Reply): void {
    const pending = this.pending.get(reply.requestId);
    if (!pending) return;
    this.pending.delete(reply.requestId);
    if (reply.ok) pending.resolve(reply.result);
    else pending.reject(new Error(reply.error));
  }

  savedState(): PersistedViewState | undefined {
    return asPersistedViewState(this.api.getState());
  }

  saveState(state: PersistedViewState): void {
    this.api.setState(state);
  }
}
