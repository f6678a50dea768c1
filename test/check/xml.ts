// A tiny XML well-formedness checker for the tests (no dependency): elements, attributes, the five
// predefined entities and numeric references; it throws on anything malformed.

export interface XmlElement {
  readonly name: string;
  readonly attributes: Record<string, string>;
  readonly children: XmlElement[];
  text: string;
}

function decode(raw: string, where: number): string {
  if (raw.includes('<')) throw new Error(`raw "<" in text or attribute near ${where}`);
  return raw.replace(/&([^;]*);?/g, (match, entity: string) => {
    if (!match.endsWith(';')) throw new Error(`unterminated entity near ${where}`);
    const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
    if (named[entity] !== undefined) return named[entity];
    if (/^#x[0-9a-fA-F]+$/.test(entity)) return String.fromCodePoint(parseInt(entity.slice(2), 16));
    if (/^#[0-9]+$/.test(entity)) return String.fromCodePoint(parseInt(entity.slice(1), 10));
    throw new Error(`unknown entity &${entity}; near ${where}`);
  });
}

export function parseXml(xml: string): XmlElement {
  let position = 0;
  if (xml.startsWith('<?xml')) {
    const end = xml.indexOf('?>');
    if (end < 0) throw new Error('unterminated XML declaration');
    position = end + 2;
  }
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  while (position < xml.length) {
    const open = xml.indexOf('<', position);
    const text = xml.slice(position, open < 0 ? xml.length : open);
    if (stack.length === 0 && text.trim() !== '') throw new Error(`text outside the root element near ${position}`);
    const top = stack[stack.length - 1];
    if (top !== undefined) top.text += decode(text, position);
    if (open < 0) break;
    const close = xml.indexOf('>', open);
    if (close < 0) throw new Error(`unterminated tag at ${open}`);
    const tag = xml.slice(open + 1, close);
    position = close + 1;
    if (tag.startsWith('/')) {
      const element = stack.pop();
      if (element === undefined || element.name !== tag.slice(1).trim()) throw new Error(`mismatched </${tag.slice(1)}> at ${open}`);
      continue;
    }
    const selfClosing = tag.endsWith('/');
    const body = selfClosing ? tag.slice(0, -1) : tag;
    const nameMatch = /^([A-Za-z_][\w.-]*)/.exec(body);
    if (nameMatch === null) throw new Error(`bad tag name at ${open}`);
    const name = nameMatch[1] as string;
    const attributes: Record<string, string> = {};
    let rest = body.slice(name.length);
    const attribute = /^\s+([A-Za-z_][\w.-]*)="([^"]*)"/;
    for (let match = attribute.exec(rest); match !== null; match = attribute.exec(rest)) {
      const key = match[1] as string;
      if (key in attributes) throw new Error(`duplicate attribute ${key} at ${open}`);
      attributes[key] = decode(match[2] as string, open);
      rest = rest.slice(match[0].length);
    }
    if (rest.trim() !== '') throw new Error(`malformed attributes in <${name}> at ${open}: ${rest}`);
    const element: XmlElement = { name, attributes, children: [], text: '' };
    const parent = stack[stack.length - 1];
    if (parent !== undefined) parent.children.push(element);
    else if (root === undefined) root = element;
    else throw new Error('a second root element');
    if (!selfClosing) stack.push(element);
  }
  if (stack.length > 0) throw new Error(`unclosed <${stack[stack.length - 1]?.name}>`);
  if (root === undefined) throw new Error('no root element');
  return root;
}
