// What the code-feature lexer needs to know about a language, and how a
// language is chosen from a VS Code languageId or a file extension.
// Families: C-like (C, C++, Java, C#, Go, Rust), JavaScript/TypeScript,
// Python, '#'-comment scripting languages, and a generic fallback.

export interface LanguageSpec {
  /** Short name shown in reports ('rust', 'javascript', 'generic', ...). */
  name: string;
  lineComments: readonly string[];
  blockComment: readonly [string, string] | null;
  /** Rust: block comments nest (an inner opener needs its own closer). */
  nestedBlockComments: boolean;
  /** What `'` opens: a string (JS, Python), a char literal (C), a char or a lifetime (Rust). */
  singleQuote: 'string' | 'char' | 'charOrLifetime' | 'none';
  /** What a backtick opens: a JS template literal (with `${}`), a Go raw string, or nothing. */
  backtick: 'template' | 'raw' | 'none';
  /** Whether a `"` string may run over a newline (Rust); elsewhere a newline ends it (error recovery). */
  multilineStrings: boolean;
  /** Prefixed literals: Rust r#"…"#, C++ R"d(…)d", C# @"…", Python r/b/f/u prefixes and triple quotes. */
  prefixedStrings: 'rust' | 'cpp' | 'csharp' | 'python' | 'none';
  /** JS regular-expression literals `/…/flags`. */
  regexLiterals: boolean;
  /** How an if/while/for condition is delimited: `(…)`, up to `{` (Go, Rust), up to `:` (Python). */
  conditionStyle: 'paren' | 'brace' | 'colon';
  keywords: ReadonlySet<string>;
}

const C_KEYWORDS =
  'auto break case char const continue default do double else enum extern float for goto if inline int long register return short signed sizeof static struct switch typedef union unsigned void volatile while';
const CPP_KEYWORDS = `${C_KEYWORDS} bool catch class constexpr delete explicit false friend mutable namespace new noexcept nullptr operator private protected public template this throw true try typename using virtual override`;
const JAVA_KEYWORDS =
  'abstract assert boolean break byte case catch char class const continue default do double else enum extends final finally float for goto if implements import instanceof int interface long native new package private protected public return short static strictfp super switch synchronized this throw throws transient try void volatile while var record true false null';
const CSHARP_KEYWORDS =
  'abstract as base bool break byte case catch char checked class const continue decimal default delegate do double else enum event explicit extern false finally fixed float for foreach goto if implicit in int interface internal is lock long namespace new null object operator out override params private protected public readonly ref return sbyte sealed short sizeof stackalloc static string struct switch this throw true try typeof uint ulong unchecked unsafe ushort using var virtual void volatile while async await';
const GO_KEYWORDS =
  'break case chan const continue default defer else fallthrough for func go goto if import interface map package range return select struct switch type var true false nil';
const RUST_KEYWORDS =
  'as async await break const continue crate dyn else enum extern false fn for if impl in let loop match mod move mut pub ref return self Self static struct super trait true type unsafe use where while';
const JS_KEYWORDS =
  'await break case catch class const continue debugger default delete do else export extends false finally for function if import in instanceof let new null of return static super switch this throw true try typeof var void while with yield async interface type enum implements private protected public readonly abstract declare namespace keyof as';
const PY_KEYWORDS =
  'False None True and as assert async await break class continue def del elif else except finally for from global if import in is lambda nonlocal not or pass raise return try while with yield match case';
const SHELL_KEYWORDS =
  'if then else elif fi case esac for while until do done in function return local export def end class module begin rescue unless';

const words = (s: string): ReadonlySet<string> => new Set(s.split(' '));

const cLike = (name: string, keywords: string, extra: Partial<LanguageSpec> = {}): LanguageSpec => ({
  name,
  lineComments: ['//'],
  blockComment: ['/*', '*/'],
  nestedBlockComments: false,
  singleQuote: 'char',
  backtick: 'none',
  multilineStrings: false,
  prefixedStrings: 'none',
  regexLiterals: false,
  conditionStyle: 'paren',
  keywords: words(keywords),
  ...extra,
});

export const LANGUAGES: Readonly<Record<string, LanguageSpec>> = {
  c: cLike('c', C_KEYWORDS),
  cpp: cLike('cpp', CPP_KEYWORDS, { prefixedStrings: 'cpp' }),
  java: cLike('java', JAVA_KEYWORDS),
  csharp: cLike('csharp', CSHARP_KEYWORDS, { prefixedStrings: 'csharp' }),
  go: cLike('go', GO_KEYWORDS, { backtick: 'raw', conditionStyle: 'brace' }),
  rust: cLike('rust', RUST_KEYWORDS, {
    nestedBlockComments: true,
    singleQuote: 'charOrLifetime',
    multilineStrings: true,
    prefixedStrings: 'rust',
    conditionStyle: 'brace',
  }),
  javascript: cLike('javascript', JS_KEYWORDS, { singleQuote: 'string', backtick: 'template', regexLiterals: true }),
  python: {
    name: 'python',
    lineComments: ['#'],
    blockComment: null,
    nestedBlockComments: false,
    singleQuote: 'string',
    backtick: 'none',
    multilineStrings: false,
    prefixedStrings: 'python',
    regexLiterals: false,
    conditionStyle: 'colon',
    keywords: words(PY_KEYWORDS),
  },
  shell: {
    ...cLike('shell', SHELL_KEYWORDS),
    lineComments: ['#'],
    blockComment: null,
    singleQuote: 'string',
    conditionStyle: 'colon',
  },
  generic: { ...cLike('generic', ''), singleQuote: 'string', keywords: words(`${C_KEYWORDS} ${JS_KEYWORDS}`) },
};

// VS Code languageIds (https://code.visualstudio.com/docs/languages/identifiers) to our specs.
const BY_LANGUAGE_ID: Record<string, string> = {
  c: 'c',
  cpp: 'cpp',
  'cuda-cpp': 'cpp',
  objectivec: 'c',
  objectivecpp: 'cpp',
  java: 'java',
  csharp: 'csharp',
  go: 'go',
  rust: 'rust',
  kotlin: 'java',
  scala: 'java',
  swift: 'java',
  dart: 'java',
  groovy: 'java',
  javascript: 'javascript',
  javascriptreact: 'javascript',
  typescript: 'javascript',
  typescriptreact: 'javascript',
  python: 'python',
  shellscript: 'shell',
  ruby: 'shell',
  perl: 'shell',
  r: 'shell',
  yaml: 'shell',
  makefile: 'shell',
  dockerfile: 'shell',
  powershell: 'shell',
  coffeescript: 'shell',
  toml: 'shell',
};

const BY_EXTENSION: Record<string, string> = {
  c: 'c',
  h: 'c',
  cc: 'cpp',
  cpp: 'cpp',
  cxx: 'cpp',
  hpp: 'cpp',
  hh: 'cpp',
  hxx: 'cpp',
  cu: 'cpp',
  m: 'c',
  mm: 'cpp',
  java: 'java',
  kt: 'java',
  kts: 'java',
  scala: 'java',
  swift: 'java',
  dart: 'java',
  groovy: 'java',
  cs: 'csharp',
  go: 'go',
  rs: 'rust',
  js: 'javascript',
  mjs: 'javascript',
  cjs: 'javascript',
  jsx: 'javascript',
  ts: 'javascript',
  mts: 'javascript',
  cts: 'javascript',
  tsx: 'javascript',
  py: 'python',
  pyi: 'python',
  pyw: 'python',
  sh: 'shell',
  bash: 'shell',
  zsh: 'shell',
  rb: 'shell',
  pl: 'shell',
  r: 'shell',
  yml: 'shell',
  yaml: 'shell',
  toml: 'shell',
  ps1: 'shell',
  mk: 'shell',
};

/** The spec for a VS Code languageId; unknown ids get the generic fallback. */
export function languageFromId(languageId: string): LanguageSpec {
  return LANGUAGES[BY_LANGUAGE_ID[languageId.toLowerCase()] ?? 'generic'];
}

/** The spec for a file path or name, by its extension (Makefile/Dockerfile by name). */
export function languageFromPath(path: string): LanguageSpec {
  const base = path.replace(/^.*[\\/]/, '');
  if (/^(makefile|gnumakefile|dockerfile)$/i.test(base)) return LANGUAGES.shell;
  const dot = base.lastIndexOf('.');
  const ext = dot > 0 ? base.slice(dot + 1).toLowerCase() : '';
  return LANGUAGES[BY_EXTENSION[ext] ?? 'generic'];
}
