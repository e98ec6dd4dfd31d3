// The parts of a meeting's page, in the order of the tab bar. Each area of
// the app adds its tab here; its label is the catalogue key `meeting.tab.<key>`.
import type { Component } from 'svelte';
import type { Meeting, MeetingView } from '../../lib/bindings';
import AttendanceTab from './AttendanceTab.svelte';
import DelegatesTab from './DelegatesTab.svelte';
import HistoryTab from './HistoryTab.svelte';
import LockTab from './LockTab.svelte';
import NotulenTab from './NotulenTab.svelte';
import PrintTab from './PrintTab.svelte';
import RankingTab from './RankingTab.svelte';
import SummaryTab from './SummaryTab.svelte';
import UsulanTab from './UsulanTab.svelte';

export interface TabProps {
  meeting: MeetingView;
  /** Opens the form that edits the meeting's details. */
  onEdit: (meeting: Meeting) => void;
  /** A tab that changed the meeting itself (locked it, revised it) hands back the new one. */
  onMeetingChanged: (meeting: MeetingView) => void;
  /** The office asked for a correction: the Kunci tab opens its revision form with this reason. */
  revisionReason?: string;
}

export interface MeetingTab {
  key: string;
  component: Component<TabProps>;
}

export const TABS: readonly MeetingTab[] = [
  { key: 'summary', component: SummaryTab },
  { key: 'attendance', component: AttendanceTab },
  { key: 'notulen', component: NotulenTab },
  { key: 'usulan', component: UsulanTab },
  { key: 'ranking', component: RankingTab },
  { key: 'delegates', component: DelegatesTab },
  { key: 'lock', component: LockTab },
  { key: 'print', component: PrintTab },
  { key: 'history', component: HistoryTab },
];
