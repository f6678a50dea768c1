// A small CSV reader for traces: one record per line, fields separated by commas, optionally
// quoted with "" as an escaped quote. It keeps each field's line and column for error messages.

export interface CsvField {
  readonly text: string;
  /** 1-based column of the field's first character. */
  readonly column: number;
}

export interface CsvRecord {
  /** 1-based line number in the file. */
  readonly line: number;
  readonly fields: readonly CsvField[];
}

export class CsvSyntaxError extends Error {
  constructor(readonly line: number, readonly column: number, readonly problem: string) {
    super(problem);
  }
}

/** Splits the text into records, skipping blank lines. Quoted fields may not span lines. */
export function readCsvRecords(text: string): CsvRecord[] {
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const lines = body.split('\n');
  const records: CsvRecord[] = [];
  for (let index = 0; index < lines.length; index++) {
    const lineText = (lines[index] as string).replace(/\r$/, '');
    if (lineText.trim() === '') continue;
    records.push({ line: index + 1, fields: splitLine(lineText, index + 1) });
  }
  return records;
}

function splitLine(lineText: string, line: number): CsvField[] {
  const fields: CsvField[] = [];
  let position = 0;
  for (;;) {
    while (lineText[position] === ' ' || lineText[position] === '\t') position += 1;
    const column = position + 1;
    if (lineText[position] === '"') {
      let text = '';
      let cursor = position + 1;
      for (;;) {
        if (cursor >= lineText.length) throw new CsvSyntaxError(line, column, 'a closing quote for this quoted field');
        const character = lineText[cursor] as string;
        if (character === '"') {
          if (lineText[cursor + 1] === '"') {
            text += '"';
            cursor += 2;
            continue;
          }
          cursor += 1;
          break;
        }
        text += character;
        cursor += 1;
      }
      if (cursor < lineText.length && lineText[cursor] !== ',') {
        throw new CsvSyntaxError(line, cursor + 1, 'a comma after the closing quote');
      }
      fields.push({ text, column });
      if (cursor >= lineText.length) return fields;
      position = cursor + 1;
      continue;
    }
    const comma = lineText.indexOf(',', position);
    const end = comma === -1 ? lineText.length : comma;
    fields.push({ text: lineText.slice(position, end).trim(), column });
    if (comma === -1) return fields;
    position = comma + 1;
  }
}
