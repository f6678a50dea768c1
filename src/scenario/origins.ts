// Remembers which file (or --set) wrote each part of a merged scenario, so that an error in a
// value inherited through `extends` names the file where that value is written.

/** Field paths in the form used by error messages: `faults[2].target.countries[0]`. */
export function childPath(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  return parent === '' ? key : `${parent}.${key}`;
}

export class Origins {
  private readonly byPath = new Map<string, string>();

  constructor(private readonly fallbackFile: string) {}

  /** Records that `file` wrote the value at `fieldPath`, replacing whatever was recorded under it. */
  wrote(fieldPath: string, file: string): void {
    this.forget(fieldPath);
    this.byPath.set(fieldPath, file);
  }

  /** Forgets the value at `fieldPath` and everything below it. */
  forget(fieldPath: string): void {
    for (const recorded of [...this.byPath.keys()]) {
      if (recorded === fieldPath || recorded.startsWith(`${fieldPath}.`) || recorded.startsWith(`${fieldPath}[`)) {
        this.byPath.delete(recorded);
      }
    }
  }

  /** The file that wrote the value at `fieldPath`: the one recorded at its nearest enclosing path. */
  fileOf(fieldPath: string): string {
    let current = fieldPath;
    for (;;) {
      const file = this.byPath.get(current);
      if (file !== undefined) return file;
      const cut = Math.max(current.lastIndexOf('.'), current.lastIndexOf('['));
      if (cut <= 0) return this.fallbackFile;
      current = current.slice(0, cut);
    }
  }
}
