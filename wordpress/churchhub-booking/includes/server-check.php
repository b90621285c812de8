<?php
/**
 * Checks a booking server's address before it is saved: its form, then its `/health` route.
 *
 * @package ChurchHubBooking
 */

namespace ChurchHub\Booking;

use WP_Error;

defined( 'ABSPATH' ) || exit;

/** Hosts a server may be reached on over plain http: only this machine, for trying things out. */
const LOCAL_HOSTS = array( 'localhost', '127.0.0.1', '[::1]', '::1' );

const HEALTH_TIMEOUT_SECONDS = 5;

/**
 * Normalises an address typed by an administrator, or says what is wrong with it.
 *
 * @param string $raw What was typed.
 * @return string|WP_Error The address without a trailing slash.
 */
function normalize_server_url( $raw ) {
	$url   = untrailingslashit( trim( (string) $raw ) );
	$parts = wp_parse_url( $url );
	if ( '' === $url || ! is_array( $parts ) || empty( $parts['scheme'] ) || empty( $parts['host'] ) ) {
		/* translators: %s: the address that was typed */
		return new WP_Error( 'churchhub_booking_url', sprintf( __( '"%s" is not a web address. Enter the address of your booking server, such as https://booking.example.org.', 'churchhub-booking' ), $url ) );
	}
	$scheme = strtolower( $parts['scheme'] );
	$host   = strtolower( $parts['host'] );
	if ( 'https' !== $scheme && ! ( 'http' === $scheme && in_array( $host, LOCAL_HOSTS, true ) ) ) {
		/* translators: %s: the address that was typed */
		return new WP_Error( 'churchhub_booking_url', sprintf( __( '"%s" must start with https:// (plain http:// is accepted only for localhost).', 'churchhub-booking' ), $url ) );
	}
	if ( isset( $parts['query'] ) || isset( $parts['fragment'] ) || isset( $parts['user'] ) ) {
		/* translators: %s: the address that was typed */
		return new WP_Error( 'churchhub_booking_url', sprintf( __( '"%s" should be just the server\'s address, without "?", "#" or a user name.', 'churchhub-booking' ), $url ) );
	}
	return esc_url_raw( $url, array( 'http', 'https' ) );
}

/**
 * Asks the server's `/health` route whether it answers as a ChurchHub Booking server.
 *
 * Each address is checked once per request: WordPress runs an option's sanitize callback twice
 * when the option is saved for the first time.
 *
 * @param string $url A normalised server address.
 * @return true|WP_Error
 */
function check_server( $url ) {
	static $checked = array();
	if ( ! isset( $checked[ $url ] ) ) {
		$checked[ $url ] = ask_health( $url );
	}
	return $checked[ $url ];
}

/**
 * One call to `<url>/health`.
 *
 * @param string $url A normalised server address.
 * @return true|WP_Error
 */
function ask_health( $url ) {
	$response = wp_remote_get(
		$url . '/health',
		array(
			'timeout'     => HEALTH_TIMEOUT_SECONDS,
			'redirection' => 0,
			'headers'     => array( 'Accept' => 'application/json' ),
		)
	);
	if ( is_wp_error( $response ) ) {
		/* translators: 1: the server address, 2: the error WordPress reported */
		return new WP_Error( 'churchhub_booking_unreachable', sprintf( __( 'Could not reach %1$s (%2$s). Check the address and that the server is running.', 'churchhub-booking' ), $url, $response->get_error_message() ) );
	}
	$status = (int) wp_remote_retrieve_response_code( $response );
	$body   = json_decode( wp_remote_retrieve_body( $response ), true );
	$health = is_array( $body ) && isset( $body['status'] ) ? $body['status'] : null;
	if ( 503 === $status && 'degraded' === $health ) {
		/* translators: %s: the server address */
		return new WP_Error( 'churchhub_booking_degraded', sprintf( __( '%s answered, but its database is unavailable; bookings cannot be made until it is back.', 'churchhub-booking' ), $url ) );
	}
	if ( 200 !== $status || 'ok' !== $health ) {
		/* translators: 1: the server address, 2: an HTTP status code */
		return new WP_Error( 'churchhub_booking_not_churchhub', sprintf( __( '%1$s answered %2$d to /health instead of a ChurchHub Booking server\'s "ok". Check the address.', 'churchhub-booking' ), $url, $status ) );
	}
	return true;
}
