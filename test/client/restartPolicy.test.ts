/** The client's restart policy after a server crash, on a fake clock. */
import * as assert from 'node:assert/strict';
import { MAX_CRASHES, RestartPolicy, WINDOW_MS } from '../../client/src/restartPolicy';

describe('restarting a crashed server', () => {
  it('restarts after each crash up to the limit within the window, then stops with a message naming the restart command', () => {
    let now = 1_000_000;
    const policy = new RestartPolicy(MAX_CRASHES, WINDOW_MS, () => now);
    for (let i = 1; i <= MAX_CRASHES; i++) {
      const verdict = policy.crashed();
      assert.deepEqual([verdict.restart, verdict.recent], [true, i]);
      now += 1000;
    }
    const stop = policy.crashed();
    assert.equal(stop.restart, false);
    assert.match(stop.message, /Trellis: Restart the Language Server/);
  });

  it('forgets crashes older than the window, and all of them when the user restarts', () => {
    let now = 0;
    const policy = new RestartPolicy(2, 60_000, () => now);
    policy.crashed();
    policy.crashed();
    now = 60_000;
    assert.deepEqual([policy.crashed().restart, policy.crashed().recent], [true, 2], 'the first two are out of the window');
    assert.equal(policy.crashed().restart, false);
    policy.reset();
    assert.equal(policy.crashed().restart, true);
  });
});
