import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OUTPUT_MARKER_FILE, OutputDir, OutputDirError } from '../../src/metrics/output-dir.js';

describe('OutputDir', () => {
  let root = '';
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'acmsim-out-'));
  });
  afterEach(() => {
    chmodSync(root, 0o700);
    rmSync(root, { recursive: true, force: true });
  });

  function writeRun(finalPath: string, label: string): OutputDir {
    const out = OutputDir.create(finalPath);
    out.writeJson('summary.json', { scenario: label, seed: 1 });
    const csv = out.openCsv('submissions.csv', ['id', 'file']);
    csv.writeRow([1, `${label}.txt`]);
    return out;
  }

  it('writes into a temporary sibling and shows the final path only on commit', () => {
    const finalPath = join(root, 'paper-48h-seed1');
    const out = writeRun(finalPath, 'first');
    expect(out.tempPath).toBe(`${finalPath}.tmp-${process.pid}`);
    expect(existsSync(finalPath)).toBe(false);
    expect(readdirSync(root)).toEqual([`paper-48h-seed1.tmp-${process.pid}`]);
    out.commit(); // also closes the CSV that was left open
    expect(out.state).toBe('committed');
    expect(readdirSync(root)).toEqual(['paper-48h-seed1']);
    expect(readdirSync(finalPath).sort()).toEqual([OUTPUT_MARKER_FILE, 'submissions.csv', 'summary.json']);
    expect(readFileSync(join(finalPath, 'summary.json'), 'utf8')).toBe('{\n  "scenario": "first",\n  "seed": 1\n}\n');
    expect(readFileSync(join(finalPath, 'submissions.csv'), 'utf8')).toBe('id,file\n1,first.txt\n');
  });

  it('abort leaves nothing behind and does not touch a previous output', () => {
    const finalPath = join(root, 'run');
    const out = writeRun(finalPath, 'doomed');
    out.abort();
    out.abort();
    expect(out.state).toBe('aborted');
    expect(readdirSync(root)).toEqual([]);
    expect(() => out.filePath('x.csv')).toThrow(/already aborted/);
    writeRun(finalPath, 'kept').commit();
    writeRun(finalPath, 'doomed again').abort();
    expect(readdirSync(root)).toEqual(['run']);
    expect(readFileSync(join(finalPath, 'submissions.csv'), 'utf8')).toBe('id,file\n1,kept.txt\n');
  });

  it('commit replaces the previous run of the same scenario whole', () => {
    const finalPath = join(root, 'run');
    // A file the earlier run wrote (listed in its marker) but this one does not write goes with the rest.
    const old = writeRun(finalPath, 'old');
    old.writeText('stale.csv', 'from an older version\n');
    old.commit();
    const out = writeRun(finalPath, 'new');
    out.commit();
    out.abort(); // no-op after commit
    expect(readdirSync(root)).toEqual(['run']);
    expect(readdirSync(finalPath).sort()).toEqual([OUTPUT_MARKER_FILE, 'submissions.csv', 'summary.json']);
    expect(readFileSync(join(finalPath, 'submissions.csv'), 'utf8')).toBe('id,file\n1,new.txt\n');
  });

  it('never deletes a file acmsim did not write: refuses, naming it, before any work and at commit', () => {
    const finalPath = join(root, 'run');
    writeRun(finalPath, 'old').commit();
    writeFileSync(join(finalPath, 'my-notes.txt'), 'mine\n');
    expect(() => OutputDir.create(finalPath)).toThrow(/refusing to replace .*run: it holds .*my-notes\.txt, which acmsim did not write/);
    rmSync(join(finalPath, 'my-notes.txt'));
    const out = writeRun(finalPath, 'new');
    writeFileSync(join(finalPath, 'plot.svg'), '<svg/>'); // appears while the run is under way
    expect(() => out.commit()).toThrow(/plot\.svg, which acmsim did not write/);
    out.abort();
    expect(readFileSync(join(finalPath, 'plot.svg'), 'utf8')).toBe('<svg/>');
    expect(readFileSync(join(finalPath, 'submissions.csv'), 'utf8')).toBe('id,file\n1,old.txt\n');
    expect(readdirSync(root)).toEqual(['run']);
  });

  it('replaces an output written before the marker listed its files, if it holds only the standard outputs', () => {
    const finalPath = join(root, 'legacy');
    mkdirSync(finalPath);
    writeFileSync(join(finalPath, OUTPUT_MARKER_FILE), 'Written by acmsim. The next run writing to this path replaces this directory whole.\n');
    writeFileSync(join(finalPath, 'summary.json'), '{}\n');
    writeRun(finalPath, 'new').commit();
    expect(readFileSync(join(finalPath, 'submissions.csv'), 'utf8')).toBe('id,file\n1,new.txt\n');
    writeFileSync(join(finalPath, 'README'), 'mine\n');
    expect(() => OutputDir.create(finalPath)).toThrow(/README, which acmsim did not write/);
  });

  it('a full disk is an OutputDirError naming the file (ENOSPC), and abort cleans up', () => {
    const finalPath = join(root, 'full');
    const out = OutputDir.create(finalPath);
    // /dev/full answers every write with ENOSPC: the same error a full disk gives.
    symlinkSync('/dev/full', join(out.tempPath, 'summary.json'));
    const error = (() => {
      try {
        out.writeJson('summary.json', { a: 1 });
      } catch (caught) {
        return caught as OutputDirError;
      }
      throw new Error('no error');
    })();
    expect(error).toBeInstanceOf(OutputDirError);
    expect(error.code).toBe('ENOSPC');
    expect(error.message).toContain(join(out.tempPath, 'summary.json'));
    symlinkSync('/dev/full', join(out.tempPath, 'big.csv'));
    expect(() => out.openCsv('big.csv', ['a'])).toThrow(/cannot write .*big\.csv.*ENOSPC/);
    out.abort();
    expect(readdirSync(root)).toEqual([]);
  });

  it('replaces an empty directory and creates missing parents', () => {
    mkdirSync(join(root, 'empty'));
    writeRun(join(root, 'empty'), 'a').commit();
    expect(existsSync(join(root, 'empty', 'summary.json'))).toBe(true);
    writeRun(join(root, 'deep', 'er', 'run'), 'b').commit();
    expect(existsSync(join(root, 'deep', 'er', 'run', 'summary.json'))).toBe(true);
  });

  it('refuses, before any work, to replace a directory acmsim did not write, or a file', () => {
    const foreign = join(root, 'home');
    mkdirSync(foreign);
    writeFileSync(join(foreign, 'thesis.tex'), 'precious');
    expect(() => OutputDir.create(foreign)).toThrow(OutputDirError);
    expect(() => OutputDir.create(foreign)).toThrow(/refusing to replace .*home/);
    expect(readFileSync(join(foreign, 'thesis.tex'), 'utf8')).toBe('precious');
    writeFileSync(join(root, 'plain-file'), 'x');
    expect(() => OutputDir.create(join(root, 'plain-file'))).toThrow(/not a directory/);
    expect(readdirSync(root).sort()).toEqual(['home', 'plain-file']);
  });

  it('raises a clear error naming the path when the parent cannot be written', () => {
    const blocker = join(root, 'not-a-dir');
    writeFileSync(blocker, 'x');
    const finalPath = join(blocker, 'run');
    let caught: unknown;
    try {
      OutputDir.create(finalPath);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(OutputDirError);
    const error = caught as OutputDirError;
    expect(error.message).toContain(finalPath);
    expect(error.message).toContain(blocker);
    expect(['ENOTDIR', 'EEXIST']).toContain(error.code);
    expect(readdirSync(root)).toEqual(['not-a-dir']);
  });

  // Root ignores permission bits, so this case only runs as an ordinary user.
  it.skipIf(process.getuid?.() === 0)('raises EACCES for a read-only parent', () => {
    const locked = join(root, 'locked');
    mkdirSync(locked);
    chmodSync(locked, 0o500);
    try {
      expect(() => OutputDir.create(join(locked, 'run'))).toThrow(/not writable.*EACCES/);
    } finally {
      chmodSync(locked, 0o700);
    }
  });

  it('accepts only plain file names inside the directory', () => {
    const out = OutputDir.create(join(root, 'run'));
    expect(out.filePath('by-size.csv')).toBe(join(out.tempPath, 'by-size.csv'));
    for (const bad of ['', '.', '..', '../escape.csv', 'sub/dir.csv']) expect(() => out.filePath(bad)).toThrow(/plain file name/);
    out.abort();
  });
});
