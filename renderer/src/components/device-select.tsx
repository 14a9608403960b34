import { useId } from 'react';
import { useTranslation } from 'react-i18next';

/** A labelled list of devices of one kind, with 'System default' first. */
export function DeviceSelect(props: { label: string; devices: MediaDeviceInfo[]; value: string | null; onChange: (deviceId: string | null) => void }) {
  const { t } = useTranslation();
  const id = useId();
  const present = props.value !== null && props.devices.some((d) => d.deviceId === props.value);
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      <select id={id} value={present ? props.value! : ''} onChange={(e) => props.onChange(e.target.value === '' ? null : e.target.value)}>
        <option value="">{t('settings.systemDefault')}</option>
        {props.devices
          .filter((d) => d.deviceId !== 'default' && d.deviceId !== 'communications' && d.deviceId !== '')
          .map((d, index) => (
            <option key={d.deviceId} value={d.deviceId}>
              {d.label || t('settings.unnamedDevice', { index: index + 1 })}
            </option>
          ))}
      </select>
    </div>
  );
}
