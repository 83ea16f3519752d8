import WebSocket from 'ws';
import { TrackingMessage, WS_TRACKING_PATH } from '@pizza/shared';
import { waitFor } from '@pizza/shared/testing';

/** A tracking WebSocket that records every message and its close code. */
export class Tracker {
  readonly messages: TrackingMessage[] = [];
  closeCode: number | undefined;
  readonly ws: WebSocket;
  readonly opened: Promise<void>;
  readonly closed: Promise<number>;

  constructor(baseUrl: string, orderId: string, token: string) {
    const url = `${baseUrl.replace(/^http/, 'ws')}${WS_TRACKING_PATH}${encodeURIComponent(orderId)}?token=${encodeURIComponent(token)}`;
    this.ws = new WebSocket(url);
    this.ws.on('message', (data) => this.messages.push(TrackingMessage.parse(JSON.parse(String(data)))));
    this.opened = new Promise((resolve, reject) => {
      this.ws.once('open', () => resolve());
      this.ws.once('error', reject);
    });
    this.closed = new Promise((resolve) =>
      this.ws.once('close', (code) => {
        this.closeCode = code;
        resolve(code);
      }),
    );
  }

  get sequence(): string[] {
    return this.messages.flatMap((m) => (m.type === 'status' ? [`${m.status}/${m.delivery_status}`] : []));
  }

  async waitUntil(last: string, timeoutMs = 30_000): Promise<string[]> {
    try {
      await waitFor(() => this.sequence.at(-1) === last, { timeoutMs, what: `tracking to reach ${last}` });
    } catch (error) {
      throw new Error(`${String(error)}; received: ${this.sequence.join(', ') || 'nothing'}`);
    }
    return this.sequence;
  }

  close(): void {
    this.ws.terminate();
  }
}
