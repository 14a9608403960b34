import { useTranslation } from 'react-i18next';
import { qualityWarnings } from '../media/quality';
import type { MediaStatsSnapshot } from '../media/stats';

const round = (value: number | null, digits = 0) => (value === null ? '–' : value.toFixed(digits));

/** Live RTT, jitter, loss and MOS, with Twilio's warnings. */
export function QualityIndicator({ stats }: { stats: MediaStatsSnapshot | null }) {
  const { t } = useTranslation();
  if (!stats || stats.mos === null) {
    return (
      <section className="quality" aria-label={t('quality.label')}>
        <span>{t('quality.unknown')}</span>
      </section>
    );
  }
  const warnings = qualityWarnings(stats);
  const poor = warnings.length > 0;
  return (
    <section className={`quality ${poor ? 'quality-poor' : 'quality-good'}`} aria-label={t('quality.label')}>
      <strong>{poor ? t('quality.poor') : t('quality.good')}</strong>
      <span>{t('quality.rtt', { value: round(stats.rttMs) })}</span>
      <span>{t('quality.jitter', { value: round(stats.jitterMs) })}</span>
      <span>{t('quality.loss', { value: round(stats.lossPercent, 1) })}</span>
      <span>{t('quality.mos', { value: round(stats.mos, 2) })}</span>
      {poor && (
        <ul className="quality-warnings" role="alert">
          {warnings.map((w) => (
            <li key={w}>{t(`quality.warnings.${w}`)}</li>
          ))}
        </ul>
      )}
    </section>
  );
}
