<?php
/**
 * Settings → ChurchHub Booking (Settings API): the server's address, checked before it is saved,
 * and the language and brand colour every calendar starts from.
 *
 * @package ChurchHubBooking
 */

namespace ChurchHub\Booking;

defined( 'ABSPATH' ) || exit;

const PAGE_SLUG = 'churchhub-booking';

function register_settings() {
	register_setting(
		PAGE_SLUG,
		OPTION,
		array(
			'type'              => 'array',
			'sanitize_callback' => __NAMESPACE__ . '\\sanitize_settings',
			'default'           => array(),
			'show_in_rest'      => false,
		)
	);
	add_settings_section( 'churchhub_booking_server', __( 'Booking server', 'churchhub-booking' ), __NAMESPACE__ . '\\server_section_intro', PAGE_SLUG );
	add_settings_field( 'churchhub_booking_server_url', __( 'Server address', 'churchhub-booking' ), __NAMESPACE__ . '\\server_url_field', PAGE_SLUG, 'churchhub_booking_server', array( 'label_for' => 'churchhub_booking_server_url' ) );
	add_settings_section( 'churchhub_booking_defaults', __( 'Defaults for every calendar', 'churchhub-booking' ), '__return_false', PAGE_SLUG );
	add_settings_field( 'churchhub_booking_default_lang', __( 'Language', 'churchhub-booking' ), __NAMESPACE__ . '\\language_field', PAGE_SLUG, 'churchhub_booking_defaults', array( 'label_for' => 'churchhub_booking_default_lang' ) );
	add_settings_field( 'churchhub_booking_brand_color', __( 'Brand colour', 'churchhub-booking' ), __NAMESPACE__ . '\\brand_color_field', PAGE_SLUG, 'churchhub_booking_defaults', array( 'label_for' => 'churchhub_booking_brand_color' ) );
}

function add_settings_page() {
	add_options_page( __( 'ChurchHub Booking', 'churchhub-booking' ), __( 'ChurchHub Booking', 'churchhub-booking' ), 'manage_options', PAGE_SLUG, __NAMESPACE__ . '\\render_settings_page' );
}

/**
 * Keeps what is valid; a server address that is malformed or does not answer as a ChurchHub
 * Booking server is not saved (the previous one stays) and the page says why.
 *
 * @param mixed $input The submitted form fields.
 * @return array
 */
function sanitize_settings( $input ) {
	$input    = is_array( $input ) ? $input : array();
	$previous = settings();
	$clean    = array(
		'server_url'   => $previous['server_url'],
		'default_lang' => isset( $input['default_lang'] ) && in_array( $input['default_lang'], LANGUAGES, true ) ? $input['default_lang'] : '',
		'brand_color'  => isset( $input['brand_color'] ) ? (string) sanitize_hex_color( trim( (string) $input['brand_color'] ) ) : '',
	);
	if ( ! empty( $input['brand_color'] ) && '' === $clean['brand_color'] ) {
		add_settings_error( OPTION, 'churchhub_booking_brand_color', __( 'The brand colour must be a hex colour such as #1e6fd9; it was left empty.', 'churchhub-booking' ), 'warning' );
	}

	$typed = isset( $input['server_url'] ) ? trim( (string) $input['server_url'] ) : '';
	if ( '' === $typed ) {
		$clean['server_url'] = '';
		return $clean;
	}
	$url = normalize_server_url( $typed );
	if ( is_wp_error( $url ) ) {
		add_settings_error( OPTION, 'churchhub_booking_server_url', not_saved( $url->get_error_message() ) );
		return $clean;
	}
	$health = check_server( $url );
	if ( is_wp_error( $health ) && 'churchhub_booking_degraded' !== $health->get_error_code() ) {
		add_settings_error( OPTION, 'churchhub_booking_server_url', not_saved( $health->get_error_message() ) );
		return $clean;
	}
	$clean['server_url'] = $url;
	if ( is_wp_error( $health ) ) {
		add_settings_error( OPTION, 'churchhub_booking_server_url', $health->get_error_message(), 'warning' );
	} else {
		/* translators: %s: the server address */
		add_settings_error( OPTION, 'churchhub_booking_server_url', sprintf( __( 'Settings saved. %s answers as a ChurchHub Booking server.', 'churchhub-booking' ), $url ), 'success' );
	}
	return $clean;
}

/**
 * @param string $reason Why the address was refused.
 * @return string
 */
function not_saved( $reason ) {
	/* translators: %s: why the address was refused */
	return sprintf( __( 'The server address was not saved: %s', 'churchhub-booking' ), $reason );
}

function server_section_intro() {
	echo '<p>' . esc_html__( 'The address of the ChurchHub Booking server your church uses. The calendar\'s script is loaded from it, only on pages that show a calendar.', 'churchhub-booking' ) . '</p>';
}

function server_url_field() {
	printf(
		'<input type="url" id="churchhub_booking_server_url" name="%1$s[server_url]" value="%2$s" class="regular-text code" placeholder="https://booking.example.org" /><p class="description">%3$s</p>',
		esc_attr( OPTION ),
		esc_attr( server_url() ),
		esc_html__( 'https:// is required (http:// only for localhost). Saving checks that the server answers.', 'churchhub-booking' )
	);
}

function language_field() {
	$current = settings()['default_lang'];
	$names   = array(
		''   => __( 'The page\'s language', 'churchhub-booking' ),
		'en' => __( 'English', 'churchhub-booking' ),
		'es' => __( 'Spanish', 'churchhub-booking' ),
	);
	printf( '<select id="churchhub_booking_default_lang" name="%s[default_lang]">', esc_attr( OPTION ) );
	foreach ( $names as $code => $name ) {
		printf( '<option value="%1$s"%2$s>%3$s</option>', esc_attr( $code ), selected( $current, $code, false ), esc_html( $name ) );
	}
	echo '</select><p class="description">' . esc_html__( 'The words of the calendar\'s buttons and messages. The booking page itself follows each visitor\'s browser.', 'churchhub-booking' ) . '</p>';
}

function brand_color_field() {
	printf(
		'<input type="text" id="churchhub_booking_brand_color" name="%1$s[brand_color]" value="%2$s" class="small-text code" placeholder="#1e6fd9" pattern="#([0-9a-fA-F]{3}){1,2}" /><p class="description">%3$s</p>',
		esc_attr( OPTION ),
		esc_attr( settings()['brand_color'] ),
		esc_html__( 'A hex colour for buttons and the booking page; empty keeps Cal.com\'s own.', 'churchhub-booking' )
	);
}

function render_settings_page() {
	if ( ! current_user_can( 'manage_options' ) ) {
		return;
	}
	echo '<div class="wrap"><h1>' . esc_html( get_admin_page_title() ) . '</h1><form action="options.php" method="post">';
	settings_fields( PAGE_SLUG );
	do_settings_sections( PAGE_SLUG );
	submit_button();
	echo '</form></div>';
}

/** Until the address is set, calendars render nothing for visitors: say so to whoever can fix it. */
function missing_server_notice() {
	if ( '' !== server_url() || ! current_user_can( 'manage_options' ) ) {
		return;
	}
	printf(
		'<div class="notice notice-warning churchhub-booking-notice"><p>%1$s <a href="%2$s">%3$s</a></p></div>',
		esc_html__( 'ChurchHub Booking has no booking server address yet, so booking calendars show nothing to visitors.', 'churchhub-booking' ),
		esc_url( admin_url( 'options-general.php?page=' . PAGE_SLUG ) ),
		esc_html__( 'Set it in Settings → ChurchHub Booking.', 'churchhub-booking' )
	);
}

/**
 * @param string[] $links The plugin's action links on the Plugins screen.
 * @return string[]
 */
function settings_link( $links ) {
	array_unshift( $links, sprintf( '<a href="%1$s">%2$s</a>', esc_url( admin_url( 'options-general.php?page=' . PAGE_SLUG ) ), esc_html__( 'Settings', 'churchhub-booking' ) ) );
	return $links;
}
