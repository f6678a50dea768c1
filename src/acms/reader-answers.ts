// What a Storage Point answers from what it holds, the same in every front-end design (the ACMS quorum and the
// what-if designs in frontends/): the index by If-Modified-Since, a file by its version-unique name to a reader
// (cache or receiver), and a file to a peer SP fetching it.
import type { Address, MachineOutput } from '../kernel/machine.js';
import { indexUnchangedFor, type AgreementRecord, type FileFetchMessage, type FileGetMessage, type FrontendMessage, type IndexGetMessage } from './frontend-messages.js';
import type { StoragePointParams } from './frontend-params.js';
import type { Snapshot } from './snapshot.js';

/** Where an answer goes: any machine's output list whose messages include the Storage Point's. */
interface OutputSink<O> {
  push(output: MachineOutput<FrontendMessage, O>): unknown;
}

export function answerIndexGet<O>(snapshot: Snapshot, params: StoragePointParams, from: Address, message: IndexGetMessage, out: OutputSink<O>): void {
  if (indexUnchangedFor(snapshot.originSp, snapshot.lastModifiedUs, message)) {
    out.push({ type: 'send', to: from, message: { type: 'indexNotModified', requestId: message.requestId, lastModifiedUs: snapshot.lastModifiedUs }, sizeBytes: params.controlMessageBytes });
    return;
  }
  // The root index lists one (lastModified, location) entry per sub-index.
  const sizeBytes = params.controlMessageBytes + params.subIndexCount * params.indexEntryBytes;
  out.push({ type: 'send', to: from, message: { type: 'indexResponse', requestId: message.requestId, view: snapshot.view() }, sizeBytes });
}

export function answerFileGet<O>(stored: ReadonlyMap<number, AgreementRecord>, params: StoragePointParams, from: Address, message: FileGetMessage, out: OutputSink<O>): void {
  const held = stored.get(message.versionKey);
  const found = held !== undefined && held.version.fileId === message.fileId;
  out.push({
    type: 'send',
    to: from,
    message: { type: 'fileResponse', requestId: message.requestId, fileId: message.fileId, versionKey: message.versionKey, found, sizeBytes: found ? held.sizeBytes : 0 },
    sizeBytes: found ? Math.max(held.sizeBytes, params.controlMessageBytes) : params.controlMessageBytes,
  });
}

export function answerFileFetch<O>(stored: ReadonlyMap<number, AgreementRecord>, params: StoragePointParams, from: Address, message: FileFetchMessage, out: OutputSink<O>): void {
  const held = stored.get(message.version.versionKey);
  out.push({
    type: 'send',
    to: from,
    message: { type: 'fileFetchResponse', requestId: message.requestId, version: message.version, found: held !== undefined, sizeBytes: held?.sizeBytes ?? 0 },
    sizeBytes: held === undefined ? params.controlMessageBytes : Math.max(held.sizeBytes, params.controlMessageBytes),
  });
}
