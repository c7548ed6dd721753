// src/accent-contrast.ts, its pure rule: black or white on a colour as getComputedStyle gives it.
// The controller is tested through the element, in the browser (test/layout.test.ts).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { textOn } from '../../src/accent-contrast.js';

describe('textOn', () => {
  it('puts black on light colours and white on dark ones, as the stylesheet does', () => {
    for (const [colour, text] of [
      ['rgb(245, 165, 36)', '#000000'],
      ['rgb(255, 235, 59)', '#000000'],
      ['rgb(122, 162, 255)', '#000000'],
      ['rgb(11, 122, 75)', '#ffffff'],
      ['rgb(91, 33, 182)', '#ffffff'],
      ['rgb(34, 86, 214)', '#ffffff'],
    ]) {
      assert.equal(textOn(colour), text, colour);
    }
  });

  it('turns at relative luminance 0.179, where both contrast equally', () => {
    // Greys either side of the turn: rgb(117) is 0.178, rgb(118) is 0.181.
    assert.equal(textOn('rgb(117, 117, 117)'), '#ffffff');
    assert.equal(textOn('rgb(118, 118, 118)'), '#000000');
  });

  it('ignores alpha and reads color(srgb …) channels, which run from 0 to 1', () => {
    assert.equal(textOn('rgba(255, 255, 255, 0.1)'), '#000000');
    assert.equal(textOn('color(srgb 1 0.92 0.23)'), '#000000');
    assert.equal(textOn('color(srgb 0.04 0.48 0.29)'), '#ffffff');
  });
});
