// An order table for a small shop's back office: filter, sort, group, select, edit inline,
// paginate and export. It works, but it was grown feature by feature: it recomputes everything on
// every keystroke, looks rows up in nested loops, re-creates handlers and objects each render, uses
// array indexes as keys, and leans on `any` and untyped parameters that strict mode rejects.
import { useEffect, useRef, useState } from "react";

export interface Customer {
  id: string;
  name: string;
  email: string;
  tier: "basic" | "silver" | "gold";
}

export interface OrderLine {
  sku: string;
  title: string;
  quantity: number;
  unitPrice: number;
}

export interface Order {
  id: string;
  customerId: string;
  createdAt: string;
  status: "open" | "paid" | "shipped" | "cancelled";
  lines: OrderLine[];
  note?: string;
  discount?: number;
}

type SortKey = "createdAt" | "total" | "customer" | "status";

interface Props {
  orders: Order[];
  customers: Customer[];
  pageSize?: number;
  onChange: (orders: Order[]) => void;
  onExport?: (csv: string) => void;
  currency: any;
}

const STATUS_LABELS: Record<string, string> = {
  open: "Open",
  paid: "Paid",
  shipped: "Shipped",
  cancelled: "Cancelled",
};

function orderTotal(order) {
  let total = 0;
  for (const line of order.lines) total += line.quantity * line.unitPrice;
  if (order.discount) total = total - (total * order.discount) / 100;
  return Math.round(total * 100) / 100;
}

function formatMoney(value: number, currency) {
  return new Intl.NumberFormat("en-GB", { style: "currency", currency: currency }).format(value);
}

function formatDate(iso: string) {
  const d = new Date(iso);
  return d.toLocaleDateString("en-GB", { year: "numeric", month: "short", day: "numeric" });
}

function toCsv(rows: any[]) {
  const header = ["id", "customer", "created", "status", "total"].join(",");
  const body = rows.map((r) => [r.id, '"' + r.customer + '"', r.createdAt, r.status, r.total].join(","));
  return [header, ...body].join("\n");
}

export function OrderTable(props: Props) {
  const [query, setQuery] = useState("");
  const [status, setStatus] = useState("all");
  const [sortKey, setSortKey] = useState<SortKey>("createdAt");
  const [sortDesc, setSortDesc] = useState(true);
  const [page, setPage] = useState(0);
  const [selected, setSelected] = useState<string[]>([]);
  const [editing, setEditing] = useState<string | null>(null);
  const [draftNote, setDraftNote] = useState("");
  const [groupByCustomer, setGroupByCustomer] = useState(false);
  const [expanded, setExpanded] = useState<any>({});
  const [copy, setCopy] = useState<Order[]>([]);
  const searchRef = useRef<HTMLInputElement>(null);
  const pageSize = props.pageSize || 20;

  // A deep copy of every order, taken again whenever the parent renders.
  useEffect(() => {
    setCopy(JSON.parse(JSON.stringify(props.orders)));
  });

  useEffect(() => {
    setPage(0);
  }, [query, status]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "/" && document.activeElement !== searchRef.current) {
        e.preventDefault();
        searchRef.current.focus();
      }
    };
    window.addEventListener("keydown", onKey);
  }, []);

  // Customer lookups scan the whole list for every row, several times per render.
  const customerName = (id: string) => {
    const c = props.customers.find((c) => c.id === id);
    return c.name;
  };
  const customerTier = (id: string) => props.customers.find((c) => c.id === id)?.tier ?? "basic";

  const rows = copy
    .filter((o) => (status === "all" ? true : o.status === status))
    .filter((o) => {
      if (!query) return true;
      const q = query.toLowerCase();
      return (
        o.id.toLowerCase().includes(q) ||
        customerName(o.customerId).toLowerCase().includes(q) ||
        o.lines.some((l) => l.title.toLowerCase().includes(q)) ||
        (o.note || "").toLowerCase().includes(q)
      );
    })
    .map((o) => ({
      ...o,
      customer: customerName(o.customerId),
      tier: customerTier(o.customerId),
      total: orderTotal(o),
    }))
    .sort((a, b) => {
      let cmp = 0;
      if (sortKey === "createdAt") cmp = new Date(a.createdAt).getTime() - new Date(b.createdAt).getTime();
      if (sortKey === "total") cmp = a.total - b.total;
      if (sortKey === "customer") cmp = a.customer.localeCompare(b.customer);
      if (sortKey === "status") cmp = a.status.localeCompare(b.status);
      return sortDesc ? -cmp : cmp;
    });

  const pageCount = Math.max(1, Math.ceil(rows.length / pageSize));
  const visible = rows.slice(page * pageSize, page * pageSize + pageSize);

  const groups = {};
  if (groupByCustomer) {
    for (const row of rows) {
      if (!groups[row.customerId]) groups[row.customerId] = [];
      groups[row.customerId].push(row);
    }
  }

  const grandTotal = rows.reduce((s, r) => s + r.total, 0);
  const selectedTotal = rows.filter((r) => selected.indexOf(r.id) >= 0).reduce((s, r) => s + r.total, 0);
  const byStatus = Object.keys(STATUS_LABELS).map((s) => ({ status: s, count: rows.filter((r) => r.status === s).length }));

  const toggleSort = (key: SortKey) => {
    if (key === sortKey) setSortDesc(!sortDesc);
    else {
      setSortKey(key);
      setSortDesc(true);
    }
  };

  const toggleSelected = (id: string) => {
    if (selected.indexOf(id) >= 0) setSelected(selected.filter((s) => s !== id));
    else setSelected([...selected, id]);
  };

  const selectAllVisible = () => {
    const ids = visible.map((r) => r.id);
    const all = ids.every((id) => selected.indexOf(id) >= 0);
    setSelected(all ? selected.filter((s) => ids.indexOf(s) < 0) : Array.from(new Set([...selected, ...ids])));
  };

  const updateOrder = (id: string, patch) => {
    const next = props.orders.map((o) => (o.id === id ? { ...o, ...patch } : o));
    props.onChange(next);
  };

  const setStatusOfSelected = (next: Order["status"]) => {
    let orders = props.orders;
    for (const id of selected) {
      orders = orders.map((o) => (o.id === id ? { ...o, status: next } : o));
    }
    props.onChange(orders);
    setSelected([]);
  };

  const startEdit = (order: Order) => {
    setEditing(order.id);
    setDraftNote(order.note || "");
  };

  const saveEdit = () => {
    if (editing) updateOrder(editing, { note: draftNote });
    setEditing(null);
  };

  const exportCsv = () => {
    const csv = toCsv(rows);
    if (props.onExport) props.onExport(csv);
  };

  const renderLines = (order: Order) => (
    <table className="lines">
      <tbody>
        {order.lines.map((line, i) => (
          <tr key={i}>
            <td>{line.sku}</td>
            <td>{line.title}</td>
            <td>{line.quantity}</td>
            <td>{formatMoney(line.unitPrice, props.currency)}</td>
            <td>{formatMoney(line.quantity * line.unitPrice, props.currency)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );

  const renderRow = (row, index: number) => (
    <>
      <tr key={index} className={selected.indexOf(row.id) >= 0 ? "selected" : ""} style={{ background: row.tier === "gold" ? "#fff8e1" : undefined }}>
        <td>
          <input type="checkbox" checked={selected.indexOf(row.id) >= 0} onChange={() => toggleSelected(row.id)} />
        </td>
        <td>
          <button onClick={() => setExpanded({ ...expanded, [row.id]: !expanded[row.id] })}>{expanded[row.id] ? "▾" : "▸"}</button> {row.id}
        </td>
        <td>{row.customer}</td>
        <td>{formatDate(row.createdAt)}</td>
        <td>
          <select value={row.status} onChange={(e) => updateOrder(row.id, { status: e.target.value })}>
            {Object.keys(STATUS_LABELS).map((s) => (
              <option key={s} value={s}>
                {STATUS_LABELS[s]}
              </option>
            ))}
          </select>
        </td>
        <td style={{ textAlign: "right" }}>{formatMoney(row.total, props.currency)}</td>
        <td>
          {editing === row.id ? (
            <span>
              <input value={draftNote} onChange={(e) => setDraftNote(e.target.value)} onKeyDown={(e) => e.key === "Enter" && saveEdit()} />
              <button onClick={saveEdit}>Save</button>
              <button onClick={() => setEditing(null)}>Cancel</button>
            </span>
          ) : (
            <span onDoubleClick={() => startEdit(row)}>{row.note || <em>add a note</em>}</span>
          )}
        </td>
      </tr>
      {expanded[row.id] && (
        <tr>
          <td colSpan={7}>{renderLines(row)}</td>
        </tr>
      )}
    </>
  );

  const header = (label: string, key: SortKey) => (
    <th onClick={() => toggleSort(key)} style={{ cursor: "pointer" }}>
      {label} {sortKey === key ? (sortDesc ? "↓" : "↑") : ""}
    </th>
  );

  return (
    <div className="order-table">
      <div className="toolbar" style={{ display: "flex", gap: 8 }}>
        <input ref={searchRef} placeholder="Search orders (/)" value={query} onChange={(e) => setQuery(e.target.value)} />
        <select value={status} onChange={(e) => setStatus(e.target.value)}>
          <option value="all">All statuses</option>
          {Object.keys(STATUS_LABELS).map((s) => (
            <option key={s} value={s}>
              {STATUS_LABELS[s]}
            </option>
          ))}
        </select>
        <label>
          <input type="checkbox" checked={groupByCustomer} onChange={() => setGroupByCustomer(!groupByCustomer)} /> Group by customer
        </label>
        <button onClick={exportCsv}>Export CSV</button>
        {selected.length > 0 && (
          <span>
            {selected.length} selected ({formatMoney(selectedTotal, props.currency)})
            <button onClick={() => setStatusOfSelected("paid")}>Mark paid</button>
            <button onClick={() => setStatusOfSelected("shipped")}>Mark shipped</button>
            <button onClick={() => setStatusOfSelected("cancelled")}>Cancel</button>
          </span>
        )}
      </div>

      <div className="summary" style={{ display: "flex", gap: 16, margin: "8px 0" }}>
        <strong>{rows.length} orders</strong>
        <span>Total {formatMoney(grandTotal, props.currency)}</span>
        {byStatus.map((s, i) => (
          <span key={i}>
            {STATUS_LABELS[s.status]}: {s.count}
          </span>
        ))}
      </div>

      {groupByCustomer ? (
        Object.keys(groups).map((customerId) => (
          <section key={customerId}>
            <h3>
              {customerName(customerId)} · {groups[customerId].length} orders ·{" "}
              {formatMoney(groups[customerId].reduce((s, r) => s + r.total, 0), props.currency)}
            </h3>
            <table>
              <tbody>{groups[customerId].map((row, i) => renderRow(row, i))}</tbody>
            </table>
          </section>
        ))
      ) : (
        <table>
          <thead>
            <tr>
              <th>
                <input type="checkbox" onChange={selectAllVisible} checked={visible.length > 0 && visible.every((r) => selected.indexOf(r.id) >= 0)} />
              </th>
              <th>Order</th>
              {header("Customer", "customer")}
              {header("Created", "createdAt")}
              {header("Status", "status")}
              {header("Total", "total")}
              <th>Note</th>
            </tr>
          </thead>
          <tbody>{visible.map((row, i) => renderRow(row, i))}</tbody>
        </table>
      )}

      {!groupByCustomer && (
        <div className="pager" style={{ display: "flex", gap: 8, marginTop: 8 }}>
          <button disabled={page === 0} onClick={() => setPage(page - 1)}>
            Previous
          </button>
          {Array.from({ length: pageCount }).map((_, i) => (
            <button key={i} onClick={() => setPage(i)} style={{ fontWeight: i === page ? "bold" : "normal" }}>
              {i + 1}
            </button>
          ))}
          <button disabled={page >= pageCount - 1} onClick={() => setPage(page + 1)}>
            Next
          </button>
        </div>
      )}
    </div>
  );
}

export function OrderTableDemo() {
  const [orders, setOrders] = useState<Order[]>([
    { id: "A-1001", customerId: "c1", createdAt: "2026-11-02T10:00:00Z", status: "open", lines: [{ sku: "MUG", title: "Mug", quantity: 2, unitPrice: 9.5 }] },
    { id: "A-1002", customerId: "c2", createdAt: "2026-11-03T12:30:00Z", status: "paid", lines: [{ sku: "TEE", title: "T-shirt", quantity: 1, unitPrice: 19 }], discount: 10 },
    { id: "A-1003", customerId: "c1", createdAt: "2026-11-05T08:15:00Z", status: "shipped", lines: [{ sku: "CAP", title: "Cap", quantity: 3, unitPrice: 12 }], note: "gift wrap" },
  ]);
  const customers: Customer[] = [
    { id: "c1", name: "Ada Lovelace", email: "ada@example.com", tier: "gold" },
    { id: "c2", name: "Alan Turing", email: "alan@example.com", tier: "basic" },
  ];
  return <OrderTable orders={orders} customers={customers} currency="EUR" onChange={setOrders} onExport={(csv) => console.log(csv)} />;
}
