import { useTranslation } from 'react-i18next';
import type { LineView as LineViewValue } from '../../../shared/protocol';
import { AgentStateIcon, TimeInState, useAgentStateWords } from '../components/agent-state';
import { useLineViews } from '../state/use-line-views';
import { formatDuration } from '../ui/format';

/** The supervisor's screen (issue 14): every line, live over the socket. Only shown to supervisors and admins. */
export function LineViewScreen() {
  const { t } = useTranslation();
  const { views, loaded, error } = useLineViews();
  return (
    <div className="lines page">
      <div className="page-head">
        <h1 id="screen-title" tabIndex={-1}>
          {t('lineView.title')}
        </h1>
      </div>
      {error && (
        <p className="banner banner-error" role="alert">
          {error}
        </p>
      )}
      {loaded && !error && views.length === 0 && <p className="empty">{t('lineView.empty')}</p>}
      {views.map((view) => (
        <LineCard key={view.line.lineId} view={view} />
      ))}
    </div>
  );
}

function percent(rate: number | null): string | null {
  return rate === null ? null : `${Math.round(rate * 100)} %`;
}

export function LineCard({ view }: { view: LineViewValue }) {
  const { t } = useTranslation();
  const words = useAgentStateWords();
  const id = `line-${view.line.lineId}`;
  const none = t('lineView.none');
  return (
    <section className="card line-card" aria-labelledby={id} data-line={view.line.name}>
      <h2 id={id}>
        {view.line.displayName} <span className="muted small">@{view.line.name}</span>
      </h2>
      <dl className="line-figures">
        <div>
          <dt>{t('lineView.waiting')}</dt>
          <dd data-figure="waiting">{view.waiting}</dd>
        </div>
        <div>
          <dt>{t('lineView.longestWait')}</dt>
          <dd>{view.longestWaitSince ? <TimeInState since={view.longestWaitSince} /> : none}</dd>
        </div>
        <div>
          <dt>{t('lineView.handled')}</dt>
          <dd data-figure="handled">{view.today.handled}</dd>
        </div>
        <div>
          <dt>{t('lineView.averageHandle')}</dt>
          <dd>{view.today.averageHandleMs === null ? none : formatDuration(view.today.averageHandleMs)}</dd>
        </div>
        <div>
          <dt>{t('lineView.abandonRate')}</dt>
          <dd data-figure="abandon-rate">{percent(view.today.abandonRate) ?? none}</dd>
        </div>
      </dl>
      <table className="line-table">
        <caption>{t('lineView.agents')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('lineView.agent')}</th>
            <th scope="col">{t('lineView.state')}</th>
            <th scope="col">{t('lineView.forHowLong')}</th>
          </tr>
        </thead>
        <tbody>
          {view.agents.map((agent) => (
            <tr key={agent.user.userId} data-agent={agent.user.username} data-state={agent.state}>
              <th scope="row">{agent.user.displayName}</th>
              <td>
                <span className="agent-state">
                  <AgentStateIcon state={agent.state} size={14} />
                  {words(agent)}
                </span>
              </td>
              <td>
                <TimeInState since={agent.since} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {view.entries.length > 0 && (
        <table className="line-table">
          <caption>{t('lineView.callers')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('lineView.caller')}</th>
              <th scope="col">{t('lineView.waitedFor')}</th>
            </tr>
          </thead>
          <tbody>
            {view.entries.map((entry) => (
              <tr key={entry.callId}>
                <th scope="row">
                  {entry.caller.displayName}
                  {entry.state === 'offered' && <span className="muted small"> · {t('lineView.offered')}</span>}
                </th>
                <td>
                  <TimeInState since={entry.since} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
