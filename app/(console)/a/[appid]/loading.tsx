export default function Loading() {
  return (
    <div aria-busy="true" className="animate-pulse space-y-4">
      <div className="h-7 w-48 rounded bg-slate-200" />
      <div className="h-4 w-80 rounded bg-slate-200" />
      <div className="mt-6 h-64 rounded-xl bg-slate-200/70" />
    </div>
  );
}
