// One client connection: frames the byte stream, runs requests in order, and answers the driver's
// awaitable hello (maxAwaitTimeMS + topologyVersion): the reply is held until maxAwaitTimeMS passes
// (the topology of a one-member set never changes) and, when the driver allows exhaust, further
// replies are streamed with moreToCome every maxAwaitTimeMS until the connection closes.
import type { Socket } from 'node:net';
import { toNumber, type Doc } from './bson';
import { helloReply } from './commands/admin';
import { runCommand } from './commands/dispatch';
import { MessageFramer } from './wire/framing';
import { MORE_TO_COME, encodeMsg, encodeReply, parseMessage, type MsgRequest } from './wire/protocol';
import type { ServerState } from './state';

let nextRequestId = 1;

function isHello(name: string): boolean {
  return name === 'hello' || name === 'isMaster' || name === 'ismaster';
}

export class Connection {
  private readonly framer = new MessageFramer();
  private queue: Promise<void> = Promise.resolve();
  private readonly timers = new Set<NodeJS.Timeout>();
  private closed = false;

  constructor(
    private readonly socket: Socket,
    private readonly state: ServerState,
    readonly id: number,
  ) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', () => this.close());
    socket.on('close', () => this.close());
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.socket.destroy();
  }

  private onData(chunk: Buffer): void {
    let messages: Buffer[];
    try {
      messages = this.framer.push(chunk);
    } catch {
      this.close();
      return;
    }
    const releaseReplies = messages.length > 1 ? this.holdReplies() : undefined;
    for (const msg of messages) {
      this.queue = this.queue
        .then(() => this.handle(msg))
        .catch((err: unknown) => {
          console.error('mongo-lite: connection error', err);
          this.close();
        });
    }
    if (releaseReplies) void this.queue.then(releaseReplies);
  }

  /**
   * Pipelined requests that arrived together are answered with one write(2) (the corked socket writes
   * them as one writev) instead of one per reply. The hold ends when the last of them is answered or,
   * should one wait (a lock, an awaitable hello), at the end of this event-loop turn, so no reply
   * waits on another. Returns the release; each hold has its own, so nested holds stay balanced.
   */
  private holdReplies(): () => void {
    this.socket.cork();
    let held = true;
    const release = () => {
      if (!held) return;
      held = false;
      clearImmediate(atTurnEnd);
      this.socket.uncork();
    };
    const atTurnEnd = setImmediate(release);
    return release;
  }

  private send(buf: Buffer): void {
    if (!this.closed) this.socket.write(buf);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.timers.delete(t);
        resolve();
      }, ms);
      this.timers.add(t);
    });
  }

  private async handle(buf: Buffer): Promise<void> {
    if (this.closed) return;
    const req = parseMessage(buf);
    if (req.kind === 'query') {
      const db = req.fullCollectionName.endsWith('.$cmd') ? req.fullCollectionName.slice(0, -5) : 'admin';
      const reply = req.fullCollectionName.endsWith('.$cmd')
        ? await runCommand(this.state, req.command, db, this.id)
        : { $err: 'legacy OP_QUERY reads are not supported', code: 5739101, ok: 0 };
      this.send(encodeReply(nextRequestId++, req.header.requestId, reply));
      return;
    }
    const name = Object.keys(req.command)[0] ?? '';
    if (isHello(name) && req.command.maxAwaitTimeMS !== undefined && req.command.topologyVersion) {
      await this.awaitableHello(req, name);
      return;
    }
    const db = typeof req.command.$db === 'string' ? req.command.$db : 'admin';
    const reply = await runCommand(this.state, req.command, db, this.id);
    if (!req.moreToCome) this.send(encodeMsg(nextRequestId++, req.header.requestId, reply));
  }

  private helloDoc(cmd: Doc, name: string): Doc {
    return helloReply(this.state, cmd, this.id, name !== 'hello');
  }

  private async awaitableHello(req: MsgRequest, name: string): Promise<void> {
    const cmd = req.command;
    const wait = Math.max(0, toNumber(cmd.maxAwaitTimeMS));
    const tv = cmd.topologyVersion as Doc;
    const sameProcess = String(tv.processId) === this.state.processId.toHexString();
    if (sameProcess) await this.sleep(wait);
    if (this.closed) return;
    if (!req.exhaustAllowed) {
      this.send(encodeMsg(nextRequestId++, req.header.requestId, this.helloDoc(cmd, name)));
      return;
    }
    let responseTo = req.header.requestId;
    for (;;) {
      const requestId = nextRequestId++;
      this.send(encodeMsg(requestId, responseTo, this.helloDoc(cmd, name), MORE_TO_COME));
      responseTo = requestId;
      await this.sleep(Math.max(wait, 10));
      if (this.closed) return;
    }
  }
}
