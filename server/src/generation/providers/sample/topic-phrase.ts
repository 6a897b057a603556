/**
 * Reads a course topic as people type it — a noun phrase ("Board games", "Woodworking 101"), an imperative
 * ("Build a board game from scratch"), a gerund ("Baking sourdough bread"), a question ("How do I start a
 * vegetable garden?") — and derives the forms the sample writer's templates need: a noun phrase for running
 * text, its title-cased form and, when the topic is an action, a verb phrase ("build a board game from
 * scratch"). Pure, deterministic and dictionary-based: no network, no model.
 */

/**
 * How the topic can be used in a sentence.
 * - `subject`: a field or thing ("board games", "Python for data analysis"): takes modifiers ("Practical …").
 * - `activity`: something one does ("building a board game from scratch"): a noun phrase (a gerund clause),
 *   and usually a verb phrase too.
 */
export type TopicKind = 'subject' | 'activity';

export interface TopicPhrase {
  kind: TopicKind;
  /** Noun phrase for running text: "board games", "building a board game from scratch". */
  noun: string;
  /** The noun phrase title-cased, a leading article kept lower-case: "Building a Board Game from Scratch". */
  Noun: string;
  /** The noun phrase without its trailing qualifier, for repeated mentions: "building a board game", "Python". */
  short: string;
  /** `short` title-cased. */
  Short: string;
  /** Verb phrase for "learn to …", "Setting Up to …" (null when the topic is not an action). */
  verb: string | null;
  /** The verb phrase title-cased: "Build a Board Game from Scratch". */
  Verb: string | null;
  /** "learn board games", "learn to build a board game from scratch", "get good at baking sourdough bread". */
  learn: string;
}

/** Words kept lower-case inside titles (unless first). */
export const SMALL_WORDS = new Set(
  'a an and as at but by for from in into nor of on or over per than the to via vs with'.split(' '),
);

/** Words capitalised wherever they appear in running text (languages, peoples, products). */
export const PROPER_WORDS = new Set(
  (
    'english spanish french german italian japanese chinese mandarin portuguese korean arabic russian dutch ' +
    'greek hindi indian mexican thai vietnamese turkish polish swedish european african american british roman ' +
    'mediterranean python javascript typescript golang kubernetes docker angular vue linux excel tableau nestjs ' +
    'kotlin android terraform postgres postgresql photoshop figma wordpress shopify google microsoft sql aws ' +
    'azure html css ios ai ux'
  ).split(' '),
);

/** Proper names that are also ordinary words ("go", "rust"): capitalised only when they are the whole topic. */
export const AMBIGUOUS_PROPER_WORDS = new Set(
  'go rust swift node unity apple java react git blender'.split(' '),
);

const ACRONYMS: Record<string, string> = {
  sql: 'SQL',
  aws: 'AWS',
  html: 'HTML',
  css: 'CSS',
  ios: 'iOS',
  ai: 'AI',
  ux: 'UX',
  javascript: 'JavaScript',
  typescript: 'TypeScript',
  nestjs: 'NestJS',
  postgresql: 'PostgreSQL',
  wordpress: 'WordPress',
};

/** Verbs that make a leading word an imperative whatever follows ("Build …", "Learn …", "Cook …"). */
const VERBS = new Set(
  (
    'achieve ace adopt analyse analyze apply automate bake become begin boost brew build buy care choose clean ' +
    'coach configure cook craft create cut debug decorate deploy develop discover do draw earn eat explore fix ' +
    'get give go grow handle hire host improve increase install invest keep knit launch lead learn lose make ' +
    'manage master migrate navigate negotiate optimise optimize organise organize overcome paint pass pay play ' +
    'plant prepare protect publish quit raise read reduce renovate repair restore ride run save scale secure ' +
    'see sell set sew ship sing sleep solve speak start stay stop survive swim take talk teach tell train ' +
    'travel turn understand use win write'
  ).split(' '),
);

/** Words that are verbs or nouns ("Design patterns", "Design a logo"): an imperative only before an object. */
const NOUN_OR_VERB = new Set(
  (
    'budget code design dance draft edit film fish garden hike market model photograph plan practice practise ' +
    'program record research shoot sketch study style test trade walk work'
  ).split(' '),
);

/** Words that start an object or a complement, after a verb: "design *a* logo", "set *up* a shop". */
const OBJECT_STARTERS = new Set(
  (
    'a an the your my our their his her its this that these those some any every one two three four five ' +
    'more less better faster up out to and with in on like from own new great good simple basic real ' +
    'beautiful delicious'
  ).split(' '),
);

/** Words ending in -ing that are not gerunds. */
const NOT_GERUNDS = new Set(
  'bring ceiling during evening king morning nothing pudding ring sibling spring sterling string swing thing wedding wing'.split(
    ' ',
  ),
);

/** Irregular -ing forms (and those whose final consonant doubles although the word has two syllables). */
const GERUND_EXCEPTIONS: Record<string, string> = {
  be: 'being',
  see: 'seeing',
  quit: 'quitting',
  begin: 'beginning',
  program: 'programming',
  control: 'controlling',
  forget: 'forgetting',
  travel: 'travelling',
  model: 'modelling',
  label: 'labelling',
  offer: 'offering',
};

/** The -ing form of a verb: build → building, make → making, plan → planning, tie → tying. */
export function gerund(verb: string): string {
  const v = verb.toLowerCase();
  if (GERUND_EXCEPTIONS[v]) return GERUND_EXCEPTIONS[v];
  if (/ie$/.test(v)) return `${v.slice(0, -2)}ying`;
  if (/[^aeiou]e$/.test(v) || /[^e]ue$/.test(v)) return `${v.slice(0, -1)}ing`;
  // One syllable ending consonant–vowel–consonant (not w, x, y): the consonant doubles (run → running).
  if (/^[^aeiou]*[aeiou][^aeiouwxy]$/.test(v)) return `${v}${v.slice(-1)}ing`;
  return `${v}ing`;
}

/** The base form of a known verb's -ing form (building → build), else null. */
const BASE_OF_GERUND = new Map<string, string>(
  [...VERBS, ...NOUN_OR_VERB].map((v) => [gerund(v), v] as [string, string]),
);

const capitalize = (s: string): string => (s ? s[0].toUpperCase() + s.slice(1) : s);

/** Title case: small words lower-case (except first), words with capitals kept as typed, hyphen parts capitalised. */
export function titleCase(s: string): string {
  return s
    .split(' ')
    .map((word, i) => {
      if (/[A-Z]/.test(word)) return word; // acronyms and proper names as typed
      if (i > 0 && SMALL_WORDS.has(word.toLowerCase())) return word.toLowerCase();
      return word
        .split('-')
        .map((part) => capitalize(part))
        .join('-');
    })
    .join(' ');
}

/** Title-cased, but a leading article stays lower-case so the phrase can sit inside a longer title. */
function titleCaseInner(s: string): string {
  const t = titleCase(s);
  return /^(A|An|The) /.test(t) ? t[0].toLowerCase() + t.slice(1) : t;
}

const bare = (word: string): string => word.toLowerCase().replace(/[^a-z0-9+#.'-]/g, '');

/** A word as it should read mid-sentence: names and acronyms capitalised, the rest as typed or lower-cased. */
function sentenceWord(word: string, lowerIt: boolean, alone: boolean): string {
  const key = bare(word).replace(/'s$/, '');
  if (ACRONYMS[key]) return word.replace(new RegExp(key, 'i'), ACRONYMS[key]);
  if (PROPER_WORDS.has(key) || (alone && AMBIGUOUS_PROPER_WORDS.has(key))) return capitalize(word);
  if ((/[A-Z]/.test(word) && !/[a-z]/.test(word) && word !== 'A') || /[a-z][A-Z]/.test(word)) return word; // "I", "SQL", "C++", "SaaS", "iOS"
  return lowerIt ? word.toLowerCase() : word;
}

/**
 * The topic in sentence case. A Title-Cased topic ("Build a Board Game From Scratch") is lower-cased word by
 * word; otherwise only the first word is (the rest was typed on purpose: "Kubernetes for data engineers").
 */
function sentenceCase(words: string[]): string[] {
  const content = words.filter((w) => /^[A-Za-z]/.test(w) && !SMALL_WORDS.has(w.toLowerCase()));
  const titleCased = content.length >= 2 && content.every((w) => /^[A-Z]/.test(w));
  const allCaps = content.length >= 2 && content.every((w) => w === w.toUpperCase());
  return words.map((w, i) =>
    sentenceWord(allCaps ? w.toLowerCase() : w, titleCased || allCaps || i === 0, words.length === 1),
  );
}

/** Second person for a course: "start my own business" → "start your own business". */
function secondPerson(words: string[]): string[] {
  const swap: Record<string, string> = {
    i: 'you',
    me: 'you',
    my: 'your',
    mine: 'yours',
    myself: 'yourself',
    our: 'your',
    we: 'you',
    us: 'you',
    ourselves: 'yourselves',
  };
  return words.map((w) => swap[w.toLowerCase()] ?? w);
}

/** Audience words: a trailing "for <these>" names who the course is for, not what it is about. */
const AUDIENCE_TAIL =
  /^(?:\w+\s+){0,3}(?:\w*(?:ers|ors|ists|ians|ants|ents)|people|kids|children|teens|teenagers|adults|students|beginners|everyone|everybody|dummies|seniors|teams|families|parents|women|men|nurses|doctors|companies|businesses|startups|organisations|organizations|nonprofits|busy people|me|us|you)$/i;

/** Openings that say nothing about the subject; `action` marks those after which a verb phrase follows. */
const OPENERS: { re: RegExp; action?: boolean }[] = [
  {
    re: /^(?:how|where)\s+(?:do|can|could|should|would|to|might)\s+(?:i|we|you|one|people)\s+(?:best\s+)?/i,
    action: true,
  },
  { re: /^how\s+to\s+/i, action: true },
  {
    re: /^(?:i|we)\s+(?:want|would like|wish|need|hope|plan)\s+to\s+learn\s+(?:how\s+)?to\s+/i,
    action: true,
  },
  {
    re: /^(?:i|we)\s+(?:want|would like|wish|need|hope|plan)\s+to\s+(?:learn|understand|know)\s+(?:about\s+)?/i,
  },
  { re: /^(?:i|we)\s+(?:want|would like|wish|need|hope|plan)\s+to\s+/i, action: true },
  { re: /^(?:i'd|we'd)\s+like\s+to\s+learn\s+(?:how\s+)?to\s+/i, action: true },
  { re: /^(?:i'd|we'd)\s+like\s+to\s+(?:learn|understand|know)\s+(?:about\s+)?/i },
  { re: /^(?:i'd|we'd)\s+like\s+to\s+/i, action: true },
  { re: /^(?:can|could|should)\s+(?:i|we|you)\s+/i, action: true },
  { re: /^(?:teach|show)\s+(?:me|us)\s+(?:how\s+)?to\s+/i, action: true },
  { re: /^(?:teach|show|tell)\s+(?:me|us)\s+(?:about\s+)?/i },
  { re: /^(?:learn|learning)\s+(?:how\s+)?to\s+/i, action: true },
  { re: /^(?:what|who)(?:'s|\s+is|\s+are|\s+was|\s+were)\s+/i },
  {
    re: /^(?:an?\s+|the\s+|your\s+)?(?:gentle\s+|quick\s+|complete\s+|beginner'?s'?\s+|practical\s+)?(?:introduction|intro|guide|primer|crash course|course|tour)\s+(?:to|on|in|of)\s+/i,
  },
  { re: /^(?:the\s+)?(?:basics|fundamentals|essentials|principles|foundations|art|science)\s+of\s+/i },
  { re: /^(?:getting|get)\s+started\s+(?:with|in|on)\s+/i },
  { re: /^(?:mastering|master)\s+(?:the\s+art\s+of\s+)?/i },
  { re: /^(?:learn|learning|understanding|understand|intro|introducing)\s+/i },
];

/** Endings that say nothing about the subject: "Woodworking 101", "Cooking mastery", "SQL for beginners". */
const TRAILERS =
  /\s+(?:101|\d{3}|for (?:absolute |complete |total )?(?:beginners|dummies|everyone|newbies)|mastery|masterclass|master class|bootcamp|boot camp|basics|fundamentals|essentials|crash course|made easy|made simple|step by step|course|class|workshop|tutorial|primer|(?:a |the )?(?:complete |beginner'?s'? )?guide|in \d+ (?:days|weeks|steps|minutes)|from scratch to \w+|\d+)$/i;

/** Words a clipped topic must not end on. */
const DANGLING =
  /^(a|an|and|or|the|of|for|to|in|on|with|at|by|from|into|about|your|my|our|their|that|which|who|is|are|was|were|very|&)$/i;

/** -ing words that usually name a field rather than an action: "Marketing strategy", "Training plans". */
const GERUND_NOUNS = new Set(
  (
    'accounting banking budgeting building computing engineering learning lighting manufacturing marketing ' +
    'modelling networking nursing parenting planning pricing printing programming publishing recording ' +
    'sampling trading training'
  ).split(' '),
);

/** Prepositions that start a qualifier a repeated mention can drop: "… from scratch", "Python for data analysis". */
const QUALIFIER = /^(?:from|for|with|without|in|on|at|using|by|like|into|via|through)$/i;

/** The phrase with its forms; `short` cuts at the first qualifier after two words (or one, for a subject). */
function phraseOf(kind: TopicKind, noun: string, verb: string | null, learn: string): TopicPhrase {
  const words = noun.split(' ');
  const minimum = kind === 'activity' ? 2 : 1;
  const cut = words.findIndex((w, i) => i >= minimum && QUALIFIER.test(w));
  const short = cut > 0 ? words.slice(0, cut).join(' ') : noun;
  return {
    kind,
    noun,
    Noun: titleCaseInner(noun),
    short,
    Short: titleCaseInner(short),
    verb,
    Verb: verb ? titleCase(verb) : null,
    learn,
  };
}

/** Reads a topic; see the file comment. */
export function analyzeTopic(topic: string): TopicPhrase {
  let text = topic
    .normalize('NFC')
    .replace(/^[^a-z]*\s[^a-z]*$/, (shouted) => shouted.toLowerCase()) // "LEARN PYTHON"
    .replace(/[“”"«»]/g, '')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^[-*•#>\s]+/, '')
    .replace(/[\s.!?…:;,]+$/, '');

  // A subtitle or aside after the first clause: "Sourdough: a baker's guide", "Why sourdough? Start here".
  const head = text.split(/[?!]\s+|\s*[;(]|:\s+|,\s+|\s+[—–-]\s+|\s+including\s+/i)[0].trim();
  if (head.length >= 2) text = head;

  // "How does the stock market work" → "the stock market"; "Why do cats purr" → "why cats purr".
  text = text
    .replace(/^how\s+(?:does|do|did)\s+(.{2,}?)\s+(?:work|function|happen)$/i, '$1')
    .replace(/^why\s+(?:does|do|did|is|are)\s+(.{2,})$/i, 'why $1');
  let action = false;
  for (let changed = true; changed;) {
    changed = false;
    for (const opener of OPENERS) {
      const rest = text.replace(opener.re, '');
      if (rest !== text && rest.trim().length >= 2) {
        text = rest.trim();
        action ||= opener.action === true;
        changed = true;
      }
    }
    const trimmed = text.replace(TRAILERS, '');
    if (trimmed !== text && trimmed.trim().length >= 2) {
      text = trimmed.trim();
      changed = true;
    }
  }
  // A trailing audience: "Kubernetes for data engineers", "Pricing strategy for small SaaS companies".
  const forAt = text.search(/\s+for\s+/i);
  if (forAt >= 2 && AUDIENCE_TAIL.test(text.slice(forAt).replace(/^\s+for\s+/i, '')))
    text = text.slice(0, forAt);

  // A long topic: its first words, ending on one that carries meaning.
  let words = text.split(' ').filter(Boolean);
  while (words.join(' ').length > 48 && words.length > 1) words.pop();
  while (words.length > 1 && DANGLING.test(words[words.length - 1])) words.pop();
  if (!words.length) words = ['the subject'];

  words = secondPerson(sentenceCase(words));
  const first = bare(words[0]);
  const second = words.length > 1 ? bare(words[1]) : '';
  const isVerb =
    !PROPER_WORDS.has(first) &&
    !(words.length === 1 && AMBIGUOUS_PROPER_WORDS.has(first)) &&
    (VERBS.has(first) || (NOUN_OR_VERB.has(first) && (OBJECT_STARTERS.has(second) || action)));

  const forced = action && /^[a-z]+$/.test(words[0]) && !first.endsWith('ing') && !PROPER_WORDS.has(first);
  if (isVerb || forced) {
    // An action: a verb phrase, and its -ing form as the noun phrase ("plan and plant" → "planning and planting").
    const verbWords = words.map((w, i) => (i === 0 ? w.toLowerCase() : w));
    const nounWords = verbWords.map((w, i) => {
      const isSecondVerb = i === 2 && /^(and|or)$/i.test(verbWords[1]) && VERBS.has(bare(w));
      return i === 0 || isSecondVerb ? gerund(w) : w;
    });
    const verb = verbWords.join(' ');
    const noun = nounWords.join(' ');
    return phraseOf('activity', noun, verb, `learn to ${verb}`);
  }

  const noun = words.join(' ');
  const isGerund = /ing$/.test(first) && first.length > 4 && !NOT_GERUNDS.has(first);
  const base = BASE_OF_GERUND.get(first);
  const takesObject = OBJECT_STARTERS.has(second) && !/^(and|or|&)$/i.test(second);
  if (isGerund && words.length > 1 && ((base && !GERUND_NOUNS.has(first)) || takesObject)) {
    // "Baking sourdough bread": an activity, with a verb phrase when the verb is known.
    const verb = base ? [base, ...words.slice(1)].join(' ') : null;
    return phraseOf('activity', noun, verb, verb ? `learn to ${verb}` : `get good at ${noun}`);
  }
  const learn = /^the\b/i.test(noun) ? `learn about ${noun}` : `learn ${noun}`;
  return phraseOf('subject', noun, null, learn);
}
