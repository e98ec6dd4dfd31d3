import { invoke } from '@tauri-apps/api/core';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import * as ranking from './api-ranking';
import { search } from './api-search';
import { listMeetings } from './api';

vi.mock('@tauri-apps/api/core', () => ({ invoke: vi.fn() }));
const mockedInvoke = vi.mocked(invoke);

beforeEach(() => {
  mockedInvoke.mockReset();
  mockedInvoke.mockResolvedValue(null);
});

describe('ranking, lock and search commands', () => {
  it('send the arguments under the names the shell expects', async () => {
    const calls: [() => Promise<unknown>, string, Record<string, unknown>][] = [
      [() => ranking.ranking('m1'), 'ranking', { meetingId: 'm1' }],
      [() => ranking.ensureDefaultCriteria('m1'), 'ensure_default_criteria', { meetingId: 'm1' }],
      [
        () => ranking.setCriteria('m1', [{ name: 'Dampak', weight: '20' }]),
        'set_criteria',
        { meetingId: 'm1', criteria: [{ name: 'Dampak', weight: '20' }] },
      ],
      [() => ranking.setScore('u1', 'c1', 4), 'set_score', { usulanId: 'u1', criterionId: 'c1', score: 4 }],
      [() => ranking.setScore('u1', 'c1', null), 'set_score', { usulanId: 'u1', criterionId: 'c1', score: null }],
      [() => ranking.setRankingMethod('m1', 'hands'), 'set_ranking_method', { meetingId: 'm1', method: 'hands' }],
      [() => ranking.setHands('u1', '12'), 'set_hands', { usulanId: 'u1', count: '12' }],
      [
        () => ranking.setManualOrder('m1', ['u2', 'u1'], 'Sepakat'),
        'set_manual_order',
        { meetingId: 'm1', usulanIds: ['u2', 'u1'], reason: 'Sepakat' },
      ],
      [() => ranking.clearManualOrder('m1'), 'clear_manual_order', { meetingId: 'm1' }],
      [() => ranking.lockBlockers('m1'), 'lock_blockers', { id: 'm1' }],
      [() => ranking.lockMeeting('m1'), 'lock_meeting', { id: 'm1' }],
      [() => ranking.reviseMeeting('m1', 'Salah ketik'), 'revise_meeting', { id: 'm1', reason: 'Salah ketik' }],
      [() => search('drainase', 30), 'search', { text: 'drainase', limit: 30 }],
      [() => listMeetings({ rw: 5, status: 'locked' }), 'list_meetings', { filter: { rw: 5, status: 'locked' } }],
      [() => listMeetings(), 'list_meetings', { filter: {} }],
    ];
    for (const [send, command, args] of calls) {
      await send();
      expect(mockedInvoke).toHaveBeenLastCalledWith(command, args);
    }
  });
});
