import { Signal, SignalLow } from 'lucide-react';
import { useTranslation } from 'react-i18next';
import { qualityWarnings } from '../media/quality';
import type { MediaLinkState } from '../media/recovery';
import type { MediaStatsSnapshot } from '../media/stats';

const round = (value: number | null, digits = 0) => (value === null ? '–' : value.toFixed(digits));

/**
 * Network quality: a rating only when the media is connected and every figure of it is measured
 * (finding 1: never "Good" with blanks); until then "Measuring…". RTT, jitter, loss and MOS, with
 * Twilio's warnings, are in the details.
 */
export function QualityIndicator({ stats, link }: { stats: MediaStatsSnapshot | null; link: MediaLinkState | null }) {
  const { t } = useTranslation();
  const measured = link === 'connected' && stats !== null && stats.mos !== null;
  const warnings = measured ? qualityWarnings(stats) : [];
  const poor = warnings.length > 0;
  const rating = !measured ? t('quality.unknown') : poor ? t('quality.poor') : t('quality.good');
  return (
    <section className={`quality ${measured ? (poor ? 'quality-poor' : 'quality-good') : 'quality-unknown'}`} aria-label={t('quality.label')}>
      <details>
        <summary>
          {poor ? <SignalLow size={16} /> : <Signal size={16} />}
          <span>{rating}</span>
        </summary>
        <span className="quality-figures">
          <span>{t('quality.rtt', { value: round(stats?.rttMs ?? null) })}</span>
          <span>{t('quality.jitter', { value: round(stats?.jitterMs ?? null) })}</span>
          <span>{t('quality.loss', { value: round(stats?.lossPercent ?? null, 1) })}</span>
          <span>{t('quality.mos', { value: round(stats?.mos ?? null, 2) })}</span>
        </span>
      </details>
      {poor && (
        <div role="alert">
          <ul className="quality-warnings">
            {warnings.map((w) => (
              <li key={w}>{t(`quality.warnings.${w}`)}</li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}
