import assert from "node:assert/strict";
import { test } from "node:test";
import { MAX_SCROLL_HEIGHT, rowTop, scrollScale, scrollTopFor, visibleRows } from "./table-scroll";

const H = 34;

test("below the browsers' height cap the scroll space is the rows' own", () => {
  const sc = scrollScale(100_000, H, 560);
  assert.deepEqual(sc, { itemSize: H, k: 1, scaled: false, height: 3_400_000 });
  assert.equal(rowTop(sc, 5000, H, 123), 5000 * H);
  assert.deepEqual(visibleRows(sc, 100_000, H, 560, 5000 * H), [5000, 5016]);
});

test("a million rows: every row reachable, drawn contiguously, inside the virtualiser's range", () => {
  for (const rows of [441_177, 1_000_000, 3_000_000]) {
    for (const vp of [300, 560, 1200]) {
      const sc = scrollScale(rows, H, vp);
      assert.ok(sc.scaled && sc.height <= MAX_SCROLL_HEIGHT + 1e-6);
      const maxTop = sc.height - vp;
      for (const t of [0, 1, 777, maxTop / 3, maxTop / 2, maxTop - 1, maxTop]) {
        const [first, last] = visibleRows(sc, rows, H, vp, t);
        // The virtualiser, with rows of itemSize, sees at least these rows.
        const vFirst = Math.floor(t / sc.itemSize);
        const vLast = Math.min(rows - 1, Math.ceil((t + vp) / sc.itemSize) - 1);
        assert.ok(vFirst <= first && last <= vLast, `rows ${rows} vp ${vp} t ${t}: ${first}-${last} vs ${vFirst}-${vLast}`);
        // The first row shown covers the viewport's top, rows follow each other, none past the end.
        const top = rowTop(sc, first, H, t);
        assert.ok(top <= t + 1e-6 && top + H > t - 1e-6, `${top} vs ${t}`);
        assert.ok(Math.abs(rowTop(sc, first + 1, H, t) - top - H) < 1e-6);
        // The last row shown may hang past the end by less than a row (the table clips it).
        assert.ok(rowTop(sc, last, H, t) < sc.height + 1e-3);
      }
      assert.equal(visibleRows(sc, rows, H, vp, maxTop)[1], rows - 1);
      assert.equal(visibleRows(sc, rows, H, vp, 0)[0], 0);
    }
  }
});

test("scrolling to a row brings it on screen, with the least move", () => {
  for (const rows of [8523, 1_000_000]) {
    const sc = scrollScale(rows, H, 560);
    for (const i of [0, 1, 17, rows / 2, rows - 2, rows - 1].map(Math.floor)) {
      for (const from of [0, (sc.height - 560) / 2, sc.height - 560]) {
        const t = scrollTopFor(sc, i, H, 560, from);
        const [first, last] = visibleRows(sc, rows, H, 560, t);
        assert.ok(first <= i && i <= last, `row ${i} from ${from}: ${first}-${last}`);
        const top = rowTop(sc, i, H, t);
        assert.ok(top >= t - 1e-3 && top + H <= t + 560 + 1e-3, `row ${i} drawn at ${top}, viewport ${t}`);
      }
    }
    // Already in view: no move.
    const [f] = visibleRows(sc, rows, H, 560, 1000);
    assert.equal(scrollTopFor(sc, f + 2, H, 560, 1000), 1000);
  }
});
