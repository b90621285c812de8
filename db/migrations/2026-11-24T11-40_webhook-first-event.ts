import { type Kysely, sql } from 'kysely'

/**
 * The first event of a booking (server/webhooks/first-event.ts) as one function call: a function
 * keeps its statements parsed for the session, where the same SQL sent as text (one statement of
 * four data-modifying parts) is parsed and planned again on every delivery. Writes the delivery, the booking and
 * the audit row, or nothing: `first` is false when the booking exists, a successor names it, or a
 * no-show waits for it; `delivery_id` is null when the delivery key was taken. A concurrent first
 * insert of the same uid raises unique_violation, and the caller takes its transactional path.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create function webhook_record_first_event(
      p_key text, p_trigger text, p_uid text, p_raw_body text, p_status text, p_title text, p_event_type text,
      p_start_time timestamptz, p_end_time timestamptz, p_host_username text, p_host_email text,
      p_attendee_name text, p_attendee_email text, p_notes text, p_rescheduled_from_uid text,
      p_event_at timestamptz, p_sequence integer, p_rank integer, p_payload jsonb, p_received_at timestamptz,
      out first boolean, out delivery_id integer)
    -- A plan cached while the tables were small would keep scanning them whole as they grow.
    language plpgsql set plan_cache_mode = force_custom_plan as $$
    begin
      first := not exists (select 1 from bookings where uid = p_uid)
        and not exists (select 1 from bookings where rescheduled_from_uid = p_uid)
        and not exists (select 1 from webhook_deliveries where booking_uid = p_uid and outcome = 'deferred');
      if not first then return; end if;
      insert into webhook_deliveries (delivery_key, trigger_event, booking_uid, raw_body, outcome)
        values (p_key, p_trigger, p_uid, p_raw_body, 'created')
        on conflict (delivery_key) do nothing
        returning id into delivery_id;
      if delivery_id is null then return; end if;
      insert into bookings (uid, status, title, event_type, start_time, end_time, host_username, host_email,
          attendee_name, attendee_email, notes, rescheduled_from_uid, last_trigger, last_event_at, last_sequence,
          last_rank, last_payload, updated_at)
        values (p_uid, p_status, p_title, p_event_type, p_start_time, p_end_time, p_host_username, p_host_email,
          p_attendee_name, p_attendee_email, p_notes, p_rescheduled_from_uid, p_trigger, p_event_at, p_sequence,
          p_rank, p_payload, p_received_at);
      insert into audit_log (actor, action, subject, detail)
        values ('cal.com', 'webhook.accepted', 'booking:' || p_uid,
          jsonb_build_object('trigger', p_trigger, 'outcome', 'created', 'deliveryId', delivery_id));
    end
    $$`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop function if exists webhook_record_first_event`.execute(db)
}
