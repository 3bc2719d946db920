// Password strength (OWASP ASVS 5.0 6.2.4, 6.2.11): a password found in the lists of common
// passwords, or guessable from words of this account (name, e-mail, organisation), is refused
// with zxcvbn's hint. No composition rules (6.2.5).
import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import * as common from '@zxcvbn-ts/language-common';
import * as en from '@zxcvbn-ts/language-en';

/** zxcvbn's scale: 3 is "safely unguessable" against throttled online attacks and slow hashes offline. */
const MIN_SCORE = 3;
const PRODUCT_WORDS = ['session', 'gateway', 'sessiongateway', 'session-gateway'];

const zxcvbn = new ZxcvbnFactory({
  // The first 100 characters are judged (strong there is strong), with at most 8 l33t
  // substitutions: zxcvbn's defaults (256, 100) took seconds of CPU on a random 256-character input.
  maxLength: 100,
  l33tMaxSubstitutions: 8,
  dictionary: { ...common.dictionary, ...en.dictionary, userInputs: PRODUCT_WORDS },
  graphs: common.adjacencyGraphs,
  translations: en.translations,
});

/** Why the password is too weak (a sentence with a hint), or null when it is strong enough. */
export async function passwordWeakness(password: string, accountWords: string[] = []): Promise<string | null> {
  // Each word whole ("ada lovelace") and in its parts ("ada", "lovelace").
  const words = accountWords.flatMap((w) => [w.toLowerCase(), ...w.toLowerCase().split(/[^\p{L}\p{N}]+/u)]).filter((w) => w.length >= 3);
  const result = await zxcvbn.checkAsync(password, words);
  if (result.score >= MIN_SCORE) return null;
  const { warning, suggestions } = result.feedback;
  return ['This password is too easy to guess.', warning, ...suggestions].filter(Boolean).join(' ');
}
