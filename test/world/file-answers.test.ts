import { describe, expect, it } from 'vitest';
import { FileAnswersInFlight } from '../../src/world/file-answers.js';

describe('FileAnswersInFlight', () => {
  it('names an answer by requester, upstream and request id: two upstreams\' answers to one request are two answers', () => {
    const answers = new FileAnswersInFlight();
    answers.sent(54, 1, 72, 1001);
    answers.sent(54, 2, 72, 1002);
    answers.sent(55, 1, 72, 1003);
    expect(answers.abandon(54, 2, 72)).toBe(1002);
    answers.arrived(54, 1, 72);
    expect(answers.abandon(54, 1, 72)).toBeUndefined(); // arrived: nothing to stop, so it counts as not yet sent
    expect(answers.abandon(55, 1, 72)).toBe(1003);
  });

  it('remembers a request given up on before its answer left, per upstream, until that answer comes', () => {
    const answers = new FileAnswersInFlight();
    expect(answers.abandon(54, 1, 7)).toBeUndefined();
    expect(answers.abandon(54, 2, 7)).toBeUndefined();
    expect(answers.takeAbandoned(54, 3, 7)).toBe(false);
    expect(answers.takeAbandoned(54, 1, 7)).toBe(true);
    expect(answers.takeAbandoned(54, 1, 7)).toBe(false);
    expect(answers.takeAbandoned(54, 2, 7)).toBe(true);
    expect(() => answers.sent(54, 1, 2 ** 32, 1)).toThrow(RangeError);
  });
});
