/**
 * A course's register sheet for its teacher: attendance per session and grades per assessment in
 * one keyboard grid each (tab switch), autosaved; the closed-term banner and an officer's override.
 */
import type { TFunction } from 'i18next';
import { type FormEvent, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'wouter';
import type { Locale } from '../../api';
import { usePageTitle } from '../../ui/page-title';
import { localeOf, pick } from '../catalog/format';
import { failureTitle, LoadFailure } from '../catalog/load-failure';
import { useResource } from '../catalog/use-resource';
import { formatRate, type GridMode } from './grid-model';
import type { GridColumn } from './grid-row';
import { useGridState } from './grid-state';
import { GridTable } from './grid-table';
import { registerApi, type Sheet } from './register-api';
import { formatGrade } from './student-format';
import './grid-register.css';

function sessionColumns(sheet: Sheet, locale: Locale, t: TFunction): GridColumn[] {
  const tag = locale === 'ru' ? 'ru' : 'en-GB';
  const short = new Intl.DateTimeFormat(tag, { day: '2-digit', month: '2-digit' });
  const time = new Intl.DateTimeFormat(tag, { hour: '2-digit', minute: '2-digit' });
  const long = new Intl.DateTimeFormat(tag, { dateStyle: 'long', timeStyle: 'short' });
  return [...sheet.sessions]
    .sort((a, b) => (a.startsAt < b.startsAt ? -1 : a.startsAt > b.startsAt ? 1 : 0))
    .map((s) => {
      const date = new Date(s.startsAt);
      const kind = t(`register.grid.kind.${s.kind}`, { defaultValue: s.kind });
      return {
        id: s.id,
        label: `${short.format(date)} ${time.format(date)}`,
        title: [long.format(date), kind, s.topic].filter(Boolean).join(' · '),
      };
    });
}

function assessmentColumns(sheet: Sheet, t: TFunction): GridColumn[] {
  return sheet.assessments.map((a) => ({
    id: a.id,
    label: a.title,
    title: `${a.title} · ${t(`register.grid.assessmentKind.${a.kind}`)} · ${t('register.grid.weight', { weight: a.weight })}`,
  }));
}

function OverridePanel({ onOverride, active }: { onOverride: (reason: string) => void; active: string | null }) {
  const { t } = useTranslation();
  const [reason, setReason] = useState('');
  const [error, setError] = useState(false);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (reason.trim().length < 3) {
      setError(true);
      return;
    }
    setError(false);
    onOverride(reason.trim());
  };
  if (active) {
    return (
      <p className="notice notice-info" data-testid="override-active">
        {t('register.teacher.overrideActive', { reason: active })}
      </p>
    );
  }
  return (
    <form className="override-form" onSubmit={submit} noValidate data-testid="override-form">
      <div className="field">
        <label htmlFor="override-reason">{t('register.teacher.overrideReason')}</label>
        <input
          id="override-reason"
          name="overrideReason"
          value={reason}
          maxLength={500}
          onChange={(event) => setReason(event.target.value)}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? 'override-error' : 'override-hint'}
        />
        <p className="field-hint" id="override-hint">
          {t('register.teacher.overrideHint')}
        </p>
        {error && (
          <p className="field-error" id="override-error">
            {t('register.teacher.overrideReasonNeeded')}
          </p>
        )}
      </div>
      <button type="submit" className="button button-secondary">
        {t('register.teacher.overrideSubmit')}
      </button>
    </form>
  );
}

function SheetView({ courseId, sheet }: { courseId: string; sheet: Sheet }) {
  const { t, i18n } = useTranslation();
  const locale = localeOf(i18n.resolvedLanguage);
  const [mode, setMode] = useState<GridMode>('attendance');
  const [summary, setSummary] = useState({ finals: sheet.finals, attendance: sheet.attendanceSummary });
  const reloadTimer = useRef<number | undefined>(undefined);
  useEffect(() => () => window.clearTimeout(reloadTimer.current), []);

  // After a save the rate and final columns follow from the server's sheet (a quiet reload).
  const onSaved = useCallback(() => {
    window.clearTimeout(reloadTimer.current);
    reloadTimer.current = window.setTimeout(() => {
      registerApi.sheet(courseId).then(
        (next) => setSummary({ finals: next.finals, attendance: next.attendanceSummary }),
        () => undefined,
      );
    }, 400);
  }, [courseId]);

  const closed = sheet.termClosed;
  const readOnly = closed && !sheet.canOverride;
  const attendance = useGridState(courseId, sheet, 'attendance', { termClosed: closed, onSaved });
  const grades = useGridState(courseId, sheet, 'grades', { termClosed: closed, onSaved });
  const scale = useMemo(
    () => ({ scale: sheet.course.scale, min: sheet.course.min, max: sheet.course.max }),
    [sheet.course.scale, sheet.course.min, sheet.course.max],
  );
  const sessions = useMemo(() => sessionColumns(sheet, locale, t), [sheet, locale, t]);
  const assessments = useMemo(() => assessmentColumns(sheet, t), [sheet, t]);
  const rates = useMemo(
    () =>
      new Map(
        summary.attendance.map((s) => [
          s.studentId,
          {
            text: `${formatRate(s.rate, locale)}${s.currentStreak > 1 ? ` · ${t('register.grid.streak', { count: s.currentStreak })}` : ''}`,
            warn: s.currentStreak >= 3 || (s.rate !== null && s.rate < 0.8),
          },
        ]),
      ),
    [summary.attendance, locale, t],
  );
  const finals = useMemo(
    () =>
      new Map(
        summary.finals.map((f) => [
          f.studentId,
          {
            text:
              f.value === null
                ? '–'
                : `${formatGrade(f.value, sheet.course.scale, t)}${f.source === 'computed' ? '*' : ''}`,
            warn: f.passed === false,
          },
        ]),
      ),
    [summary.finals, sheet.course.scale, t],
  );
  const onOverride = (reason: string) => {
    attendance.setOverride(reason);
    grades.setOverride(reason);
  };
  const course = sheet.course;
  const name = pick(course.name, locale);

  return (
    <>
      <header className="page-header">
        <p className="breadcrumbs">
          <Link href="/register/teaching">{t('register.teacher.title')}</Link>
        </p>
        <h1 data-testid="course-title">
          {course.code} · {name}
        </h1>
        <p className="lead">
          {t('register.teacher.courseLead', {
            group: course.group.code,
            term: pick(course.term.name, locale),
            scale: t(`register.grid.scale.${course.scale}`),
          })}
        </p>
      </header>
      {(closed || attendance.data.needsOverride || grades.data.needsOverride) && (
        <div className="notice register-warning" role="note" data-testid="term-closed">
          <p>{t(sheet.canOverride ? 'register.teacher.closedOfficer' : 'register.teacher.closed')}</p>
          {sheet.canOverride && <OverridePanel onOverride={onOverride} active={attendance.overrideReason} />}
        </div>
      )}
      <div className="register-tabs" role="tablist" aria-label={t('register.teacher.tabsLabel')}>
        {(['attendance', 'grades'] as const).map((tab) => (
          <button
            key={tab}
            type="button"
            role="tab"
            id={`tab-${tab}`}
            aria-selected={mode === tab}
            aria-controls={`panel-${tab}`}
            tabIndex={mode === tab ? 0 : -1}
            className="register-tab"
            data-testid={`tab-${tab}`}
            onClick={() => setMode(tab)}
            onKeyDown={(event) => {
              if (event.key === 'ArrowRight' || event.key === 'ArrowLeft') {
                const next = mode === 'attendance' ? 'grades' : 'attendance';
                setMode(next);
                document.getElementById(`tab-${next}`)?.focus();
              }
            }}
          >
            {t(`register.teacher.tab.${tab}`)}
          </button>
        ))}
      </div>
      <p className="field-hint" id="register-grid-help">
        {t(mode === 'attendance' ? 'register.grid.helpAttendance' : 'register.grid.helpGrades', {
          min: course.min,
          max: course.max,
        })}
      </p>
      <div role="tabpanel" id={`panel-${mode}`} aria-labelledby={`tab-${mode}`}>
        {mode === 'attendance' ? (
          <GridTable
            key="attendance"
            grid={attendance}
            mode="attendance"
            students={sheet.students}
            columns={sessions}
            scale={scale}
            summaries={rates}
            readOnly={readOnly}
            canOverride={sheet.canOverride}
            caption={t('register.grid.captionAttendance', { course: name })}
          />
        ) : (
          <GridTable
            key="grades"
            grid={grades}
            mode="grades"
            students={sheet.students}
            columns={assessments}
            scale={scale}
            summaries={finals}
            readOnly={readOnly}
            canOverride={sheet.canOverride}
            caption={t('register.grid.captionGrades', { course: name })}
          />
        )}
      </div>
      {mode === 'grades' && <p className="field-hint">{t('register.grid.finalHint')}</p>}
    </>
  );
}

export function TeacherCoursePage({ id }: { id: string }) {
  const { t } = useTranslation();
  const sheet = useResource(`sheet:${id}`, (signal) => registerApi.sheet(id, signal));
  usePageTitle(sheet.error ? failureTitle(sheet.error, t) : t('register.teacher.sheetTitle'));
  if (sheet.error && !sheet.data) return <LoadFailure error={sheet.error} notFoundKey="register.teacher.notFound" />;
  if (!sheet.data) return <p className="loading">{t('app.loading')}</p>;
  return (
    <div className="page register-sheet-page">
      <SheetView key={id} courseId={id} sheet={sheet.data} />
    </div>
  );
}
