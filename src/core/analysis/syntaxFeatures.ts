// Code features read off a syntax tree (syntaxTree.ts), one value per code
// point, as the lexer's (codeFeatures.ts): inside a call's argument list, a
// type annotation, a function body, a condition; the depth of the smallest
// node around the character; and whether it is part of an identifier or a
// keyword. Also inside a string / comment by the tree, to check the lexer.
//
// Grammars name things differently; these rules use tree-sitter's field
// names (arguments, type, return_type, body, condition), which the grammars
// share, and a few node types. Every node paints its range [start, end) with
// its depth and the flags it and its ancestors set; children paint after
// their parent, so the innermost node wins. As for the lexer, a value is the
// state after reading the character: a closing quote is outside its string.

import type * as TS from '@vscode/tree-sitter-wasm';

export interface SyntaxFeatures {
  inArguments: Uint8Array;
  inTypeAnnotation: Uint8Array;
  inFunctionBody: Uint8Array;
  inCondition: Uint8Array;
  depth: Float32Array;
  isIdentifier: Uint8Array;
  isKeyword: Uint8Array;
  inString: Uint8Array;
  inComment: Uint8Array;
}

const ARGUMENT_TYPES = new Set(['arguments', 'argument_list']);
const TYPE_FIELDS = new Set(['type', 'return_type']);
const TYPE_TYPES = new Set(['type_annotation']);
const FUNCTION_TYPE = /function|method|lambda|arrow|constructor|closure/;
const STRING_TYPE =
  /^(string|template_string|raw_string_literal|string_literal|interpreted_string_literal|char_literal|character_literal|verbatim_string_literal|raw_string|heredoc_body)$/;

const INTERPOLATION_TYPE = /^(template_substitution|interpolation|string_interpolation)$/;

const IN_ARGS = 1;
const IN_TYPE = 2;
const IN_BODY = 4;
const IN_COND = 8;
const IN_STRING = 16;
const IN_COMMENT = 32;

/** The syntax features of `text` (code points) from its tree (UTF-16 indices). */
export function syntaxFeatures(text: string, tree: TS.Tree): SyntaxFeatures {
  // UTF-16 offset → code point index.
  const cpAt = new Int32Array(text.length + 1);
  let cp = 0;
  for (let i = 0; i < text.length; i++) {
    cpAt[i] = cp;
    const c = text.charCodeAt(i);
    if (!(c >= 0xd800 && c <= 0xdbff && i + 1 < text.length)) cp++;
  }
  cpAt[text.length] = cp;
  const T = cp;
  const flags = new Uint8Array(T);
  const depth = new Float32Array(T);
  const ident = new Uint8Array(T);
  const keyword = new Uint8Array(T);

  const paint = (a: number, b: number, f: number, d: number): void => {
    for (let t = cpAt[a]; t < cpAt[Math.min(b, text.length)]; t++) {
      flags[t] = f;
      depth[t] = d;
    }
  };
  const visit = (node: TS.Node, field: string | null, parentType: string, inherited: number, d: number): void => {
    let f = inherited;
    const type = node.type;
    if (ARGUMENT_TYPES.has(type) || field === 'arguments') f |= IN_ARGS;
    if (TYPE_TYPES.has(type) || (field !== null && TYPE_FIELDS.has(field))) f |= IN_TYPE;
    if (field === 'body' && FUNCTION_TYPE.test(parentType)) f |= IN_BODY;
    if (field === 'condition') f |= IN_COND;
    const isString = node.isNamed && STRING_TYPE.test(type);
    if (isString) f |= IN_STRING;
    if (INTERPOLATION_TYPE.test(type)) f &= ~IN_STRING; // `${…}`, f"{…}": code inside the string
    if (type.includes('comment')) f |= IN_COMMENT;
    paint(node.startIndex, node.endIndex, f, d);
    if (isString) stringEnds.push(node.endIndex);
    const n = node.childCount;
    if (n === 0) {
      const a = cpAt[node.startIndex];
      const b = cpAt[Math.min(node.endIndex, text.length)];
      const mark = node.isNamed
        ? type.includes('identifier')
          ? ident
          : undefined
        : /^[A-Za-z_]+$/.test(type)
          ? keyword
          : undefined;
      if (mark) for (let t = a; t < b; t++) mark[t] = 1;
      return;
    }
    for (let i = 0; i < n; i++) {
      const child = node.child(i);
      if (child) visit(child, node.fieldNameForChild(i), type, f, d + 1);
    }
  };
  // As the lexer's features, the state after reading a character: the closing quote is outside the string.
  const stringEnds: number[] = [];
  visit(tree.rootNode, null, '', 0, 0);
  for (const end of stringEnds) {
    const t = cpAt[Math.min(end, text.length)] - 1;
    if (t >= 0) flags[t] &= ~IN_STRING;
  }
  const bit = (m: number): Uint8Array => Uint8Array.from(flags, (f) => (f & m ? 1 : 0));
  return {
    inArguments: bit(IN_ARGS),
    inTypeAnnotation: bit(IN_TYPE),
    inFunctionBody: bit(IN_BODY),
    inCondition: bit(IN_COND),
    depth,
    isIdentifier: ident,
    isKeyword: keyword,
    inString: bit(IN_STRING),
    inComment: bit(IN_COMMENT),
  };
}
