// Answers to readers (caches and receivers), the same in every design: the index by If-Modified-Since, and a
// file by its version-unique name. Kept beside the what-if designs; the Storage Point has its own copy inline.
import type { Address, MachineOutput } from '../../kernel/machine.js';
import { indexUnchangedFor, type AgreementRecord, type FileGetMessage, type IndexGetMessage } from '../frontend-messages.js';
import type { StoragePointParams } from '../frontend-params.js';
import type { Snapshot } from '../snapshot.js';
import type { FrontEndWireMessage } from './messages.js';

export function answerIndexGet<O>(snapshot: Snapshot, params: StoragePointParams, from: Address, message: IndexGetMessage, out: MachineOutput<FrontEndWireMessage, O>[]): void {
  if (indexUnchangedFor(snapshot.originSp, snapshot.lastModifiedUs, message)) {
    out.push({ type: 'send', to: from, message: { type: 'indexNotModified', requestId: message.requestId, lastModifiedUs: snapshot.lastModifiedUs }, sizeBytes: params.controlMessageBytes });
    return;
  }
  // The root index lists one (lastModified, location) entry per sub-index.
  const sizeBytes = params.controlMessageBytes + params.subIndexCount * params.indexEntryBytes;
  out.push({ type: 'send', to: from, message: { type: 'indexResponse', requestId: message.requestId, view: snapshot.view() }, sizeBytes });
}

export function answerFileGet<O>(stored: ReadonlyMap<number, AgreementRecord>, params: StoragePointParams, from: Address, message: FileGetMessage, out: MachineOutput<FrontEndWireMessage, O>[]): void {
  const held = stored.get(message.versionKey);
  const found = held !== undefined && held.version.fileId === message.fileId;
  out.push({
    type: 'send',
    to: from,
    message: { type: 'fileResponse', requestId: message.requestId, fileId: message.fileId, versionKey: message.versionKey, found, sizeBytes: found ? held.sizeBytes : 0 },
    sizeBytes: found ? Math.max(held.sizeBytes, params.controlMessageBytes) : params.controlMessageBytes,
  });
}
