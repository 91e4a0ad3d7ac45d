/**
 * Share the current settings: the link (as the address bar holds it), with options for a class
 * — lock the settings, classroom mode — and a QR code of it for a projector, which can also
 * fill the window (a second modal; Escape closes it). Adds qrcode's output as an image (an
 * SVG at full size, sharp at any scale); the link itself is plain text.
 */
import QRCode from 'qrcode';
import { useEffect, useState } from 'react';
import { useModalDialog } from './use-modal-dialog';
import { useShallow } from 'zustand/react/shallow';
import { pageLinkUrl } from '../../state/page-link';
import { useApp } from '../store-context';

export function ShareDialog() {
  const [open, setOpen] = useState(false);
  const dialog = useModalDialog(open);
  const [lock, setLock] = useState(false);
  const [classroom, setClassroom] = useState(false);
  const [qr, setQr] = useState<string | null>(null);
  const [fullQr, setFullQr] = useState<string | null>(null);
  const fullDialog = useModalDialog(fullQr !== null);
  const { config, view, presetId } = useApp(
    useShallow((s) => ({ config: s.config, view: s.view, presetId: s.preset?.id ?? null })),
  );
  const href = typeof window === 'undefined' ? '' : window.location.href;
  const link = pageLinkUrl(href, { config, view: { ...view, lock, classroom }, preset: presetId });

  useEffect(() => {
    if (!open) return;
    let live = true;
    QRCode.toDataURL(link, { margin: 1, width: 240, errorCorrectionLevel: 'M' })
      .then((url) => live && setQr(url))
      .catch(() => live && setQr(null));
    return () => {
      live = false;
    };
  }, [link, open]);

  return (
    <>
      <button
        type="button"
        className="link-button"
        onClick={() => {
          setLock(view.lock);
          setClassroom(view.classroom);
          setOpen(true);
        }}
      >
        Share settings…
      </button>
      <dialog
        ref={dialog}
        aria-labelledby="share-title"
        onClose={() => setOpen(false)}
        onCancel={() => setOpen(false)}
      >
        <h2 id="share-title">Share these settings</h2>
        <p>
          <label>
            Link <input readOnly value={link} onFocus={(e) => e.currentTarget.select()} size={40} />
          </label>
        </p>
        <p>
          <label>
            <input type="checkbox" checked={lock} onChange={(e) => setLock(e.target.checked)} />{' '}
            Lock the settings (students run, but cannot change them)
          </label>
          <br />
          <label>
            <input
              type="checkbox"
              checked={classroom}
              onChange={(e) => setClassroom(e.target.checked)}
            />{' '}
            Open in classroom mode (big type, heavy lines)
          </label>
        </p>
        {qr ? <img src={qr} width={240} height={240} alt="QR code of the link" /> : null}
        <div className="buttons">
          <button
            type="button"
            disabled={!qr}
            onClick={() =>
              void QRCode.toString(link, { type: 'svg', margin: 2, errorCorrectionLevel: 'M' })
                .then((svg) =>
                  setFullQr(`data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`),
                )
                .catch(() => setFullQr(null))
            }
          >
            QR code full screen
          </button>
          <button
            type="button"
            onClick={() => void navigator.clipboard?.writeText(link).catch(() => {})}
          >
            Copy link
          </button>
          <button type="button" onClick={() => setOpen(false)}>
            Close
          </button>
        </div>
      </dialog>
      <dialog
        ref={fullDialog}
        className="qr-full"
        aria-label="QR code of the link, full screen"
        onClose={() => setFullQr(null)}
        onCancel={() => setFullQr(null)}
      >
        {fullQr ? <img src={fullQr} alt="QR code of the link" /> : null}
        <button type="button" onClick={() => setFullQr(null)}>
          Close
        </button>
      </dialog>
    </>
  );
}
