import { Delete } from 'lucide-react';
import { useTranslation } from 'react-i18next';

const LETTERS: Record<string, string> = { '2': 'ABC', '3': 'DEF', '4': 'GHI', '5': 'JKL', '6': 'MNO', '7': 'PQRS', '8': 'TUV', '9': 'WXYZ', '0': '+' };

/**
 * A phone keypad. On the home screen it types into the dial box (digits, and a delete key); in a
 * call it sends tones (with * and #).
 */
export function DialPad({ keys, onKey, onDelete, label }: { keys: 'dial' | 'tones'; onKey: (key: string) => void; onDelete?: () => void; label: string }) {
  const { t } = useTranslation();
  const layout = keys === 'tones' ? ['1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '0', '#'] : ['1', '2', '3', '4', '5', '6', '7', '8', '9', '', '0', 'delete'];
  return (
    <div className="dial-pad" role="group" aria-label={label}>
      {layout.map((key, index) =>
        key === '' ? (
          <span key={index} aria-hidden="true" />
        ) : key === 'delete' ? (
          <button key={key} type="button" className="dial-key dial-key-delete" aria-label={t('dial.delete')} onClick={onDelete}>
            <Delete size={20} />
          </button>
        ) : (
          <button key={key} type="button" className="dial-key" aria-label={key} onClick={() => onKey(key)}>
            <span className="dial-digit">{key}</span>
            {LETTERS[key] && <span className="dial-letters" aria-hidden="true">{LETTERS[key]}</span>}
          </button>
        ),
      )}
    </div>
  );
}
