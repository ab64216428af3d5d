/** A modal dialog on the native <dialog> element: focus trapping and Esc come from the browser. */
import { useEffect, useRef, type ReactNode } from "react";
import { useUi } from "../stores/uiStore";

export function Dialog({ title, children, wide, className }: { title: string; children: ReactNode; wide?: boolean; className?: string }) {
  const ref = useRef<HTMLDialogElement>(null);
  const close = useUi((s) => s.close);
  useEffect(() => {
    const el = ref.current;
    if (el && !el.open) el.showModal();
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
