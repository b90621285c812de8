<?php
/**
 * The plugin's one option: the booking server's address and the defaults for every calendar.
 *
 * @package ChurchHubBooking
 */

namespace ChurchHub\Booking;

defined( 'ABSPATH' ) || exit;

const OPTION = 'churchhub_booking';

/** Languages the widget has words for; '' follows the page's own `<html lang>`. */
const LANGUAGES = array( '', 'en', 'es' );

/**
 * The saved settings with every key present.
 *
 * @return array{server_url: string, default_lang: string, brand_color: string}
 */
function settings() {
	$saved = get_option( OPTION, array() );
	$saved = is_array( $saved ) ? $saved : array();
	return array(
		'server_url'   => isset( $saved['server_url'] ) && is_string( $saved['server_url'] ) ? $saved['server_url'] : '',
		'default_lang' => isset( $saved['default_lang'] ) && in_array( $saved['default_lang'], LANGUAGES, true ) ? $saved['default_lang'] : '',
		'brand_color'  => isset( $saved['brand_color'] ) && is_string( $saved['brand_color'] ) ? (string) sanitize_hex_color( $saved['brand_color'] ) : '',
	);
}

/** The booking server's address without a trailing slash, or '' until an administrator sets it. */
function server_url() {
	return settings()['server_url'];
}
