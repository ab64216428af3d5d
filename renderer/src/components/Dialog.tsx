/**
 * A modal dialog on the native <dialog> element: focus trapping and Esc come from the browser; focus
 * returns to the control that opened it.
 */
import { useEffect, useRef, type ReactNode } from "react";
import { useUi } from "../stores/uiStore";

export function Dialog({ title, children, wide, className }: { title: string; children: ReactNode; wide?: boolean; className?: string }) {
  const ref = useRef<HTMLDialogElement>(null);
  const close = useUi((s) => s.close);
  useEffect(() => {
    // Whoever opened the dialog gets focus back when it closes (Esc, ×, Cancel or done): the
    // element is unmounted rather than closed, so the browser's own focus restore never runs.
    const opener = document.activeElement instanceof HTMLElement && document.activeElement !== document.body ? document.activeElement : null;
    const el = ref.current;
    if (el && !el.open) el.showModal();
    return () => {
      if (opener?.isConnected) opener.focus();
    };
  }, []);
  return (
    <dialog ref={ref} className={`dialog${wide ? " wide" : ""}${className ? ` ${className}` : ""}`} aria-label={title} onClose={close} onCancel={close}>
      <header className="dialog-head">
        <h2>{title}</h2>
        <button className="icon-btn" aria-label="Close" onClick={close}>×</button>
      </header>
      {children}
    </dialog>
  );
}
