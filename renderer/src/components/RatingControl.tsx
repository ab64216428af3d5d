/** Rate a message 1–5 stars with an optional note; one small control per timeline message. */
import { useState } from "react";
import { useRatings } from "../stores/ratingsStore";

export function RatingControl({ messageId, seq }: { messageId: string; seq: number }) {
  const rating = useRatings((s) => s.byMessage[messageId]);
  const rate = useRatings((s) => s.rate);
  const [noting, setNoting] = useState(false);
  const [note, setNote] = useState("");
  const stars = rating?.stars ?? 0;
  return (
    <span className="rating" role="group" aria-label={`Rate message ${seq}`}>
      {[1, 2, 3, 4, 5].map((n) => (
        <button
          key={n}
          type="button"
          className={`star${n <= stars ? " on" : ""}`}
          aria-label={`${n} star${n > 1 ? "s" : ""}`}
          aria-pressed={n === stars}
          // One tab stop for the five stars (the chosen one, else the first); arrows move between them.
          tabIndex={n === Math.max(stars, 1) ? 0 : -1}
          onKeyDown={(e) => {
            const step = e.key === "ArrowRight" || e.key === "ArrowUp" ? 1 : e.key === "ArrowLeft" || e.key === "ArrowDown" ? -1 : 0;
            if (step === 0) return;
            e.preventDefault();
            const next = e.currentTarget.parentElement?.querySelectorAll<HTMLButtonElement>("button.star")[Math.min(4, Math.max(0, n - 1 + step))];
            next?.focus();
          }}
          title={rating?.note ? `${rating.stars}/5 — ${rating.note}` : `Rate ${n} of 5`}
          onClick={() => void rate(messageId, n, note.trim() || undefined)}
        >
          {n <= stars ? "★" : "☆"}
        </button>
      ))}
      <button type="button" className="ref" aria-expanded={noting} onClick={() => {
          // Reopening shows the saved note, so saving again revises it rather than blanking it.
          if (!noting) setNote(rating?.note ?? "");
          setNoting(!noting);
        }}>
        note
      </button>
      {noting && (
        <form
          className="rating-note"
          onSubmit={(e) => {
            e.preventDefault();
            if (stars > 0) void rate(messageId, stars, note.trim() || undefined);
            setNoting(false);
          }}
        >
          <input className="input small" aria-label={`Note for message ${seq}`} value={note} placeholder="why (saved with the stars)" onChange={(e) => setNote(e.target.value)} />
          <button type="submit" className="btn small" disabled={stars === 0}>Save</button>
        </form>
      )}
    </span>
  );
}
