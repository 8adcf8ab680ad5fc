// dnsmgr.passwd codec. Golden cases in test/golden/passwd/NNN-what/: a folder with input.passwd must survive
// parse → render byte for byte and parse to the recorded entries.json; a folder without one is a rendering case,
// whose entries.json is rendered as a fresh file and compared with expected.passwd.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/errors';
import type { PasswdDoc, PasswdEntry } from '../../src/files/passwd-codec';
import { levelFromPasswd, parsePasswd, passwdEntries, renderPasswd, renderPasswdEntries } from '../../src/files/passwd-codec';
import { expectGolden } from '../helpers/golden';
import { seededRandom } from '../model/expect-invalid';

const PASSWD_GOLDEN_DIR = fileURLToPath(new URL('../golden/passwd/', import.meta.url));

const HASH = '$2b$04$rmSfXHwhDVK4BCdI702a2Oki4oN9QH6YnpnOKWjCW//h90JbA6H2W';
const HASH_BODY = HASH.slice(7);

const caseDirs = readdirSync(PASSWD_GOLDEN_DIR, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();
const parseCases = caseDirs.filter((name) => existsSync(join(PASSWD_GOLDEN_DIR, name, 'input.passwd')));
const renderCases = caseDirs.filter((name) => !parseCases.includes(name));

/** The accounts with their 1-based line numbers: what the file means, as the golden entries.json records it. */
function describeEntries(doc: PasswdDoc): string {
  const entries = doc.lines.flatMap((l, i) => (l.entry ? [{ line: i + 1, ...l.entry }] : []));
  return `${JSON.stringify(entries, null, 2)}\n`;
}

function entry(overrides: Partial<PasswdEntry> = {}): PasswdEntry {
  return { login: 'user1', reseller: '', hash: HASH, level: 16, used: 0, allowed: 10, shared: 0, ...overrides };
}

function invalid(fn: () => unknown): ValidationError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ValidationError);
    return err as ValidationError;
  }
  return expect.fail('expected a ValidationError');
}

describe('passwd golden cases', () => {
  it('finds the cases', () => {
    expect(parseCases.length).toBeGreaterThan(0);
    expect(renderCases.length).toBeGreaterThan(0);
  });

  describe.each(parseCases)('%s', (name) => {
    const dir = join(PASSWD_GOLDEN_DIR, name);
    const input = readFileSync(join(dir, 'input.passwd'), 'utf8');

    it('renders back byte for byte', () => {
      expect(renderPasswd(parsePasswd(input))).toBe(input);
    });

    it('parses to the recorded entries', () => {
      expectGolden(join(dir, 'entries.json'), describeEntries(parsePasswd(input)));
    });

    it('gives the same accounts when written as a fresh file', () => {
      const entries = passwdEntries(parsePasswd(input));
      expect(passwdEntries(parsePasswd(renderPasswdEntries(entries)))).toEqual(entries);
    });
  });

  describe.each(renderCases)('%s', (name) => {
    const dir = join(PASSWD_GOLDEN_DIR, name);
    const entries = JSON.parse(readFileSync(join(dir, 'entries.json'), 'utf8')) as PasswdEntry[];

    it('renders the expected file', () => {
      expectGolden(join(dir, 'expected.passwd'), renderPasswdEntries(entries));
    });

    it('parses back to the same entries', () => {
      expect(passwdEntries(parsePasswd(renderPasswdEntries(entries)))).toEqual(entries);
    });
  });
});

describe('round trip (property)', () => {
  const LOGIN_CHARS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-';
  const HASH_CHARS = './ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

  function generator(seed: number) {
    const random = seededRandom(seed);
    const int = (n: number): number => Math.floor(random() * n);
    const pick = <T>(items: readonly T[]): T => items[int(items.length)] as T;
    const chars = (alphabet: string, n: number): string => Array.from({ length: n }, () => pick([...alphabet])).join('');
    const login = (): string => pick([...LOGIN_CHARS.slice(0, 62)]) + chars(LOGIN_CHARS, int(12));
    const count = (): number => pick([0, 1, int(10), int(1000), int(2 ** 40)]);
    const hash = (): string => `$2${pick(['a', 'b', 'y'])}$${String(int(100)).padStart(2, '0')}$${chars(HASH_CHARS, 53)}`;
    const accounts = (n: number): PasswdEntry[] => {
      const used = new Set<string>();
      const out: PasswdEntry[] = [];
      while (out.length < n) {
        const l = login();
        if (used.has(l)) continue;
        used.add(l);
        out.push({
          login: l,
          reseller: random() < 0.4 ? '' : login(),
          hash: hash(),
          level: 1 + int(30),
          used: count(),
          allowed: count(),
          shared: count(),
        });
      }
      return out;
    };
    return { random, int, pick, accounts };
  }

  it('render(parse(x)) === x for generated files: comments, blanks, CRLF, with and without a final newline', () => {
    for (let seed = 1; seed <= 300; seed++) {
      const { random, int, pick, accounts } = generator(seed);
      const entries = accounts(int(8));
      const lines: string[] = [];
      for (const e of entries) {
        while (random() < 0.3) lines.push(pick(['', '# comment', '  # indented: with:colons', ' \t', `#${e.login}::${HASH}:16:0:0:0`]));
        lines.push(renderPasswdEntries([e]).slice(0, -1));
      }
      const eol = pick(['\n', '\r\n']);
      const text = lines.map((l) => l + (random() < 0.1 ? pick(['\n', '\r\n']) : eol)).join('');
      const file = random() < 0.3 ? text.replace(/\r?\n$/, '') : text;
      const doc = parsePasswd(file);
      expect(renderPasswd(doc), `seed ${seed}`).toBe(file);
      expect(passwdEntries(doc), `seed ${seed}`).toEqual(entries);
    }
  });

  it('parse(renderPasswdEntries(e)) gives e back', () => {
    for (let seed = 1; seed <= 300; seed++) {
      const { int, accounts } = generator(seed);
      const entries = accounts(int(10));
      const text = renderPasswdEntries(entries);
      expect(text.split('\n').length - 1, `seed ${seed}`).toBe(entries.length);
      expect(passwdEntries(parsePasswd(text)), `seed ${seed}`).toEqual(entries);
    }
  });
});

describe('parsePasswd rejects', () => {
  const good = `user1::${HASH}:16:0:10:0`;
  it.each([
    ['too few fields', `user1:${HASH}:16:0:10:0`, /expected 7 colon-separated fields.*got 6/],
    ['too many fields', `user1:::${HASH}:16:0:10:0`, /got 8/],
    ['one field', 'justaname', /got 1/],
    ['a hash of the wrong scheme', `user1::$1$abcdefgh$${'x'.repeat(22)}:16:0:10:0`, /hash: expected a bcrypt hash/],
    ['a bcrypt hash too short', `user1::${HASH.slice(0, -1)}:16:0:10:0`, /hash:/],
    ['a bcrypt hash too long', `user1::${HASH}x:16:0:10:0`, /hash:/],
    ['a one-digit cost', `user1::$2a$4$${HASH_BODY}:16:0:10:0`, /hash:/],
    ['a $2x$ hash', `user1::$2x$10$${HASH_BODY}:16:0:10:0`, /hash:/],
    ['a character outside the bcrypt alphabet', `user1::$2a$10$${HASH_BODY.slice(0, -1)}+:16:0:10:0`, /hash:/],
    ['a plain password in the hash field', 'user1::secret:16:0:10:0', /hash:/],
    ['an empty hash', 'user1:::16:0:10:0', /hash:/],
    ['an empty login', `:reseller:${HASH}:16:0:10:0`, /login: empty/],
    ['a login with a space', `user 1::${HASH}:16:0:10:0`, /login:/],
    ['a login with a carriage return inside', `us\rer::${HASH}:16:0:10:0`, /login:/],
    ['a login starting with a dot', `.hidden::${HASH}:16:0:10:0`, /login:/],
    ['a login of 65 characters', `${'a'.repeat(65)}::${HASH}:16:0:10:0`, /login: longer than 64/],
    ['a bad reseller', `user1:re seller:${HASH}:16:0:10:0`, /reseller:/],
    ['level 99', `user1::${HASH}:99:0:10:0`, /level: expected a whole number from 1 to 30/],
    ['level 0', `user1::${HASH}:0:0:10:0`, /level:/],
    ['level 31', `user1::${HASH}:31:0:10:0`, /level:/],
    ['level 016', `user1::${HASH}:016:0:10:0`, /level:/],
    ['an empty level', `user1::${HASH}::0:10:0`, /level:/],
    ['used 01', `user1::${HASH}:16:01:10:0`, /used: .*without sign or leading zeros/],
    ['allowed -1', `user1::${HASH}:16:0:-1:0`, /allowed:/],
    ['allowed +5', `user1::${HASH}:16:0:+5:0`, /allowed:/],
    ['shared 1.5', `user1::${HASH}:16:0:10:1.5`, /shared:/],
    ['shared 1e3', `user1::${HASH}:16:0:10:1e3`, /shared:/],
    ['shared 0x10', `user1::${HASH}:16:0:10:0x10`, /shared:/],
    ['a count beyond 15 digits', `user1::${HASH}:16:0:1234567890123456:0`, /allowed:/],
    ['a trailing space', `${good} `, /shared:/],
    ['a leading space', ` ${good}`, /login:/],
  ])('%s', (_what, line, reason) => {
    const err = invalid(() => parsePasswd(`# header\n${line}\n`));
    expect(err.problems).toHaveLength(1);
    expect(err.problems[0]?.param).toBe('passwd line 2');
    expect(String(err.problems[0]?.reason)).toMatch(reason);
    expect(err.message).not.toContain(HASH_BODY);
    expect(err.message).not.toContain('secret');
  });

  it('shows the line with the hash replaced by <hash>', () => {
    const err = invalid(() => parsePasswd(`user1::${HASH}:99:0:10:0\n`));
    expect(err.problems[0]?.value).toBe('user1::<hash>:99:0:10:0');
    const short = invalid(() => parsePasswd(`user1:${HASH}:16:0:10:0\n`));
    expect(short.problems[0]?.value).toBe('user1:<hash>:16:0:10:0');
  });

  it('reports every bad line in one error, each reason of a line together', () => {
    const text = [
      `ok1::${HASH}:16:0:10:0`,
      `bad login::${HASH}:99:01:10:0`,
      '# comment',
      'a:b',
      `ok2::${HASH}:16:0:10:0`,
      `ok3::nothash:16:0:10:0`,
      '',
    ].join('\n');
    const err = invalid(() => parsePasswd(text));
    expect(err.problems.map((p) => p.param)).toEqual(['passwd line 2', 'passwd line 4', 'passwd line 6']);
    expect(String(err.problems[0]?.reason)).toMatch(/login:.*; level:.*; used:/);
    expect(err.message).not.toContain(HASH_BODY);
  });

  it('rejects a login that appears twice, naming the first line', () => {
    const err = invalid(() => parsePasswd(`u1::${HASH}:16:0:10:0\n#\nu1:r:${HASH}:16:0:10:0\n`));
    expect(err.problems).toHaveLength(1);
    expect(err.problems[0]?.param).toBe('passwd line 3');
    expect(String(err.problems[0]?.reason)).toBe("login 'u1' is already on line 1");
  });

  it('tells logins apart by case, as the panel does', () => {
    expect(passwdEntries(parsePasswd(`u1::${HASH}:16:0:10:0\nU1::${HASH}:16:0:10:0\n`))).toHaveLength(2);
  });
});

describe('renderPasswdEntries rejects', () => {
  it.each([
    ['a login with a newline', entry({ login: `evil\nroot::${HASH}:30:0:0:0` }), /login:/],
    ['a login with a colon', entry({ login: 'a:b' }), /login:/],
    ['an empty login', entry({ login: '' }), /login: empty/],
    ['a reseller with a colon', entry({ reseller: 'x:30' }), /reseller:/],
    ['a reseller with a newline', entry({ reseller: 'r\nroot' }), /reseller:/],
    ['a hash with a colon', entry({ hash: `${HASH.slice(0, -1)}:` }), /hash:/],
    ['a hash with a newline', entry({ hash: `${HASH}\nroot::${HASH}:30:0:0:0` }), /hash:/],
    ['level 99', entry({ level: 99 }), /level:/],
    ['level 0', entry({ level: 0 }), /level:/],
    ['level 1.5', entry({ level: 1.5 }), /level:/],
    ['level NaN', entry({ level: Number.NaN }), /level:/],
    ['used -1', entry({ used: -1 }), /used:/],
    ['used -0', entry({ used: -0 }), /used:/],
    ['allowed Infinity', entry({ allowed: Number.POSITIVE_INFINITY }), /allowed:/],
    ['shared beyond a safe integer', entry({ shared: 2 ** 53 }), /shared:/],
  ])('%s', (_what, e, reason) => {
    const err = invalid(() => renderPasswdEntries([entry({ login: 'first' }), e]));
    expect(err.problems).toHaveLength(1);
    expect(err.problems[0]?.param).toBe('passwd entry 2');
    expect(String(err.problems[0]?.reason)).toMatch(reason);
    expect(err.message).not.toContain(HASH_BODY);
  });

  it('rejects a login given twice', () => {
    const err = invalid(() => renderPasswdEntries([entry(), entry({ level: 24 })]));
    expect(String(err.problems[0]?.reason)).toBe("login 'user1' is already entry 1");
  });

  it('reports every bad entry at once', () => {
    const err = invalid(() => renderPasswdEntries([entry({ login: 'a:b' }), entry({ login: 'ok' }), entry({ login: 'c', level: 99 })]));
    expect(err.problems.map((p) => p.param)).toEqual(['passwd entry 1', 'passwd entry 3']);
  });

  it('writes an empty file for no entries', () => {
    expect(renderPasswdEntries([])).toBe('');
  });
});

describe('levelFromPasswd', () => {
  it.each([
    [1, 16], [10, 16], [15, 16], [16, 16], [17, 16], [23, 16],
    [24, 24], [25, 24], [28, 24],
    [29, 29],
    [30, 30], [31, 30], [99, 30],
    [0, 16], [-1, 16], [Number.NaN, 16],
  ])('%d → %d', (legacy, panel) => {
    expect(levelFromPasswd(legacy)).toBe(panel);
  });
});
